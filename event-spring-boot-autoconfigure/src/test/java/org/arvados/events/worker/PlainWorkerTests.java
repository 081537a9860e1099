package org.arvados.events.worker;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.arvados.events.test.FakeArvadosCluster;
import org.arvados.events.test.LogEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A plain worker (no web server) in a JVM of its own keeps running after {@code main} returns, handles events,
 * and stops on SIGTERM with the drain and its last log line.
 */
class PlainWorkerTests {

	private static final Duration WAIT = Duration.ofSeconds(60);

	@Test
	void aWorkerWithoutAWebServerStaysUpHandlesEventsAndStopsOnSigterm(@TempDir Path folder) throws Exception {
		try (FakeArvadosCluster cluster = FakeArvadosCluster.start()) {
			String javaCommand = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
			Process worker = new ProcessBuilder(javaCommand, "-cp", System.getProperty("java.class.path"),
					PlainWorker.class.getName(), "--arvados.events.endpoint=" + cluster.endpoint(),
					"--arvados.events.token=" + cluster.token(), "--spring.main.banner-mode=off")
				.redirectErrorStream(true)
				.redirectOutput(folder.resolve("worker.log").toFile())
				.start();
			Supplier<List<String>> output = () -> read(folder.resolve("worker.log"));
			try {
				await().atMost(WAIT).until(() -> output.get().contains("main returned") && connected(output.get()));
				LogEntry first = cluster.emit("update", FakeArvadosCluster.uuid("4zz18"), Map.of());
				await().atMost(WAIT).until(() -> output.get().contains("handled " + first.id()));
				assertThat(worker.isAlive()).as("alive after main returned").isTrue();
				LogEntry second = cluster.emit("update", FakeArvadosCluster.uuid("4zz18"), Map.of());
				await().atMost(WAIT).until(() -> output.get().contains("handled " + second.id()));
				worker.destroy();
				assertThat(worker.waitFor(30, TimeUnit.SECONDS)).as("exits on SIGTERM").isTrue();
				List<String> lines = output.get();
				assertThat(lines).anySatisfy((line) -> assertThat(line).contains("Stopped following Arvados events"));
				assertThat(lines).noneSatisfy((line) -> assertThat(line).contains(" WARN "));
			}
			finally {
				worker.destroyForcibly();
			}
		}
	}

	private static boolean connected(List<String> lines) {
		return lines.stream().anyMatch((line) -> line.contains("Streaming from"));
	}

	private static List<String> read(Path file) {
		try {
			return Files.readAllLines(file, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}

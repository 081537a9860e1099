package org.arvados.events.sample;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.arvados.events.checkpoint.Checkpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample built ahead of time (the build's {@code process-aot}, with a checkpoint file) and started with
 * {@code -Dspring.aot.enabled=true}, in a JVM of its own: it follows the embedded cluster's stream and saves its
 * position in the file given at run time; started without one, it refuses to start and says why, instead of
 * keeping the position in memory.
 */
class AotSampleTests {

	private static final Duration STARTUP = Duration.ofSeconds(90);

	@TempDir
	Path folder;

	private final List<Process> processes = new ArrayList<>();

	@AfterEach
	void kill() {
		this.processes.forEach(Process::destroyForcibly);
	}

	@Test
	void theAotBuildFollowsTheStreamAndSavesToTheCheckpointFileGivenAtRunTime() throws Exception {
		Path position = this.folder.resolve("position.json");
		Path output = this.folder.resolve("out.log");
		Process sample = start(output, "--arvados.events.checkpoint.file=" + position);
		await().atMost(STARTUP).until(() -> read(output).contains("#3 "));
		assertThat(read(output)).contains("Starting AOT-processed SampleApplication");
		sample.destroy();
		assertThat(sample.waitFor(60, TimeUnit.SECONDS)).as("stopped within a minute").isTrue();
		assertThat(read(output)).contains("Stopped following Arvados events");
		assertThat(Checkpoint.parse(Files.readString(position)).highestId()).isGreaterThanOrEqualTo(3);
	}

	@Test
	void withoutTheCheckpointFileTheBuildHadItRefusesToStartSayingWhy() throws Exception {
		Path output = this.folder.resolve("out.log");
		Process sample = start(output);
		assertThat(sample.waitFor(STARTUP.toSeconds(), TimeUnit.SECONDS)).as("exited").isTrue();
		assertThat(sample.exitValue()).isNotZero();
		assertThat(read(output)).contains("This application was built ahead of time (AOT)")
			.contains("arvados.events.checkpoint.file is not set (the build had it set)")
			.contains("-Dspring.aot.enabled=false");
	}

	private Process start(Path output, String... args) throws IOException {
		List<String> command = new ArrayList<>(List.of(
				System.getProperty("java.home") + File.separator + "bin" + File.separator + "java", "-Xmx256m",
				// C1 only: the JVM's start is most of this test, and it is a third shorter without C2 on two cores.
				// Spring's AOT is done at build time and is the same either way.
				"-XX:TieredStopAtLevel=1", "-Dspring.aot.enabled=true", "-cp", System.getProperty("java.class.path"),
				SampleApplication.class.getName(), "--server.port=0", "--spring.main.banner-mode=off"));
		command.addAll(List.of(args));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
		this.processes.add(process);
		return process;
	}

	private static String read(Path output) throws IOException {
		return Files.exists(output) ? Files.readString(output, StandardCharsets.UTF_8) : "";
	}

}

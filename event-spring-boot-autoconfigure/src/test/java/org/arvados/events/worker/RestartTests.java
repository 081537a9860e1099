package org.arvados.events.worker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.arvados.events.test.FakeArvadosCluster;
import org.arvados.events.test.LogEntry;
import org.arvados.events.test.Transaction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A worker that keeps its position in a checkpoint file, restarted as deploys and crashes restart it: in a JVM of
 * its own, stopped with SIGTERM or killed with SIGKILL, started again on the same file.
 */
class RestartTests {

	private static final Duration WAIT = Duration.ofSeconds(60);

	@TempDir
	Path folder;

	private WorkerProcess start(FakeArvadosCluster cluster, String name) {
		WorkerProcess worker = WorkerProcess.startQuickly(CheckpointedWorker.class, this.folder.resolve(name + ".log"),
				"--arvados.events.endpoint=" + cluster.endpoint(), "--arvados.events.token=" + cluster.token(),
				"--arvados.events.checkpoint.file=" + this.folder.resolve("position.checkpoint"),
				"--arvados.events.checkpoint.interval=100ms");
		await().atMost(WAIT).until(() -> worker.printed("Streaming from") || !worker.isAlive());
		assertThat(worker.isAlive()).as("%s started: %s", name, worker.lines()).isTrue();
		return worker;
	}

	private static List<Long> emit(FakeArvadosCluster cluster, int count) {
		List<Long> ids = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			ids.add(cluster.emit("update", FakeArvadosCluster.uuid("4zz18"), Map.of()).id());
		}
		return ids;
	}

	@Test
	void aGracefulRestartMidStreamLosesNothingAndRepeatsNothing() throws Exception {
		try (FakeArvadosCluster cluster = FakeArvadosCluster.start()) {
			List<Long> emitted = new ArrayList<>();
			List<Long> first;
			try (WorkerProcess worker = start(cluster, "first")) {
				emitted.addAll(emit(cluster, 20));
				await().atMost(WAIT).until(() -> worker.handled().size() >= 10);
				emitted.addAll(emit(cluster, 20));
				assertThat(worker.terminate()).isTrue();
				first = worker.handled();
			}
			emitted.addAll(emit(cluster, 10));
			try (WorkerProcess worker = start(cluster, "second")) {
				emitted.addAll(emit(cluster, 10));
				await().atMost(WAIT).until(() -> union(first, worker.handled()).containsAll(emitted));
				List<Long> all = new ArrayList<>(first);
				all.addAll(worker.handled());
				assertThat(all).as("each once, in order").containsExactlyElementsOf(emitted);
			}
		}
	}

	@Test
	void aCrashRepeatsOnlyWhatWasHandledSinceTheLastSave() throws Exception {
		try (FakeArvadosCluster cluster = FakeArvadosCluster.start()) {
			List<Long> emitted = new ArrayList<>();
			List<Long> first;
			try (WorkerProcess worker = start(cluster, "first")) {
				emitted.addAll(emit(cluster, 30));
				await().atMost(WAIT).until(() -> worker.handled().size() >= 15);
				worker.kill();
				first = worker.handled();
			}
			emitted.addAll(emit(cluster, 10));
			try (WorkerProcess worker = start(cluster, "second")) {
				try {
					await().atMost(WAIT).until(() -> union(first, worker.handled()).containsAll(emitted));
				}
				catch (org.awaitility.core.ConditionTimeoutException ex) {
					throw new AssertionError("emitted " + emitted + ", first " + first + ", second " + worker.lines(), ex);
				}
				List<Long> second = worker.handled();
				assertThat(union(first, second)).containsExactlyInAnyOrderElementsOf(emitted);
				List<Long> repeated = second.stream().filter(first::contains).toList();
				// What the crash repeats is the tail of what the first run handled: after its last save.
				assertThat(repeated).containsExactlyElementsOf(first.subList(first.size() - repeated.size(), first.size()));
				assertThat(second).doesNotHaveDuplicates();
			}
		}
	}

	@Test
	void aRestartAfterMoreThanTheReplayWindowFindsLateCommitsThroughTheList() throws Exception {
		// The server replays nothing: whatever happened while the worker was down comes from the logs list.
		try (FakeArvadosCluster cluster = FakeArvadosCluster.builder().replayWindow(Duration.ZERO).start()) {
			List<Long> first;
			Transaction slow = cluster.begin("update", FakeArvadosCluster.uuid("4zz18"), Map.of());
			LogEntry fast;
			try (WorkerProcess worker = start(cluster, "first")) {
				fast = cluster.emit("update", FakeArvadosCluster.uuid("4zz18"), Map.of());
				await().atMost(WAIT).until(() -> worker.handled().contains(fast.id()));
				assertThat(worker.terminate()).isTrue();
				first = worker.handled();
			}
			LogEntry late = slow.commit();
			List<Long> meanwhile = emit(cluster, 3);
			try (WorkerProcess worker = start(cluster, "second")) {
				await().atMost(WAIT).until(() -> worker.handled().contains(late.id()) && worker.handled().containsAll(meanwhile));
				assertThat(first).containsExactly(fast.id());
				assertThat(worker.handled()).as("the late commit below the saved highest id, then the rest, once each")
					.containsExactlyInAnyOrder(late.id(), meanwhile.get(0), meanwhile.get(1), meanwhile.get(2));
				assertThat(late.id()).isLessThan(fast.id());
			}
		}
	}

	@Test
	void aCorruptCheckpointFileStopsTheStartWithWhatToDo() throws Exception {
		java.nio.file.Files.writeString(this.folder.resolve("position.checkpoint"), "{\"v\":1,\"highest\":");
		try (FakeArvadosCluster cluster = FakeArvadosCluster.start();
				WorkerProcess worker = WorkerProcess.startQuickly(CheckpointedWorker.class,
						this.folder.resolve("corrupt.log"), "--arvados.events.endpoint=" + cluster.endpoint(),
						"--arvados.events.token=" + cluster.token(),
						"--arvados.events.checkpoint.file=" + this.folder.resolve("position.checkpoint"))) {
			await().atMost(WAIT).until(() -> !worker.isAlive());
			assertThat(worker.printed("position.checkpoint")).isTrue();
			assertThat(worker.printed("Streaming from")).isFalse();
			assertThat(worker.printed(cluster.token())).isFalse();
		}
	}

	private static Set<Long> union(List<Long> first, List<Long> second) {
		Set<Long> all = new HashSet<>(first);
		all.addAll(second);
		return all;
	}

}

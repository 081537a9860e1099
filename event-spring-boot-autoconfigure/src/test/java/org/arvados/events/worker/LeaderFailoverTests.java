package org.arvados.events.worker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import org.arvados.events.checkpoint.TestPostgres;
import org.arvados.events.test.FakeArvadosCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.common.BaseDataSource;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances of one worker on one PostgreSQL, each in a JVM of its own, with leader election and the checkpoint
 * in the database: the leader is killed mid-stream (SIGKILL: no drain, no save, its lock left to expire), and the
 * other takes over within the lock's time to live plus a few seconds, from the last saved position.
 */
class LeaderFailoverTests {

	private static final Duration WAIT = Duration.ofSeconds(60);

	@TempDir
	Path folder;

	@Test
	void whenTheLeaderIsKilledTheStandbyTakesOverAndEveryEventIsHandled() throws Exception {
		DataSource database = TestPostgres.newDatabase();
		// The tables an operator's database has: Spring Integration's own schema, as Boot would create it.
		new ResourceDatabasePopulator(new ClassPathResource("org/springframework/integration/jdbc/schema-postgresql.sql"))
			.execute(database);
		String url = ((BaseDataSource) database).getUrl();
		try (FakeArvadosCluster cluster = FakeArvadosCluster.start()) {
			String[] args = { "--arvados.events.endpoint=" + cluster.endpoint(),
					"--arvados.events.token=" + cluster.token(), "--spring.datasource.url=" + url,
					"--spring.datasource.username=postgres",
					// No connection pool on the test class path: a plain DataSource, a connection per use.
					"--spring.datasource.type=org.springframework.jdbc.datasource.SimpleDriverDataSource",
					"--spring.integration.jdbc.initialize-schema=never",
					"--arvados.events.checkpoint.store=jdbc", "--arvados.events.checkpoint.key=failover",
					"--arvados.events.checkpoint.interval=200ms", "--arvados.events.leader-election.enabled=true",
					"--arvados.events.leader-election.lock-time-to-live=5s" };
			// Both start at once, as the replicas of a deploy do: their JVMs start side by side rather than one
			// after the other. Whichever takes the lock leads; the other stands by once its context has started.
			try (WorkerProcess one = start("one", args); WorkerProcess other = start("other", args)) {
				await().atMost(WAIT).until(() -> one.printed("Streaming from") || other.printed("Streaming from"));
				WorkerProcess first = one.printed("Streaming from") ? one : other;
				WorkerProcess second = (first == one) ? other : one;
				await().atMost(WAIT).until(() -> second.printed("Started CheckpointedWorker"));
				List<Long> emitted = new CopyOnWriteArrayList<>();
				AtomicBoolean emitting = new AtomicBoolean(true);
				Thread emitter = new Thread(() -> {
					// Bounded: at most 600 events, one every 20 ms.
					for (int i = 0; i < 600 && emitting.get(); i++) {
						emitted.add(cluster.emit("update", FakeArvadosCluster.uuid("4zz18"), Map.of()).id());
						java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
					}
				}, "emitter");
				emitter.start();
				await().atMost(WAIT).until(() -> first.handled().size() >= 50);
				assertThat(second.handled()).as("the standby handles nothing while the leader leads").isEmpty();
				first.kill();
				long killed = System.nanoTime();
				List<Long> before = first.handled();
				await().atMost(WAIT).until(() -> second.printed("Streaming from"));
				Duration failover = Duration.ofNanos(System.nanoTime() - killed);
				assertThat(failover).as("within the lock's time to live (5 s) and a few seconds")
					.isLessThan(Duration.ofSeconds(15));
				int now = emitted.size();
				await().atMost(WAIT).until(() -> emitted.size() >= now + 25);
				emitting.set(false);
				emitter.join();
				await().atMost(WAIT).until(() -> union(before, second.handled()).containsAll(emitted));
				List<Long> after = second.handled();
				assertThat(union(before, after)).containsExactlyInAnyOrderElementsOf(emitted);
				assertThat(after).doesNotHaveDuplicates();
				List<Long> repeated = after.stream().filter(before::contains).toList();
				assertThat(repeated).as("only what the leader handled after its last save")
					.containsExactlyElementsOf(before.subList(before.size() - repeated.size(), before.size()));
				assertThat(second.printed(" WARN ") && second.printed("CHECKPOINT_CONFLICT")).isFalse();
			}
		}
	}

	private WorkerProcess start(String name, String[] args) {
		return WorkerProcess.startQuickly(CheckpointedWorker.class, this.folder.resolve(name + ".log"), args);
	}

	private static Set<Long> union(List<Long> first, List<Long> second) {
		Set<Long> all = new HashSet<>(first);
		all.addAll(second);
		return all;
	}

}

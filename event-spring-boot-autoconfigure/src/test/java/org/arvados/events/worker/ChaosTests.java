package org.arvados.events.worker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.arvados.events.test.FakeArvadosCluster;
import org.arvados.events.test.LogEntry;
import org.arvados.events.test.Transaction;
import org.arvados.events.worker.History.FaultKind;
import org.arvados.events.worker.Schedule.Step;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The proof of issue 22: three instances of {@link ChaosWorker}, each in a JVM of its own, with leader election and
 * the checkpoint on one PostgreSQL, follow a {@link FakeArvadosCluster} while a stream of events runs (one every
 * 50 ms) and a {@link Schedule} drawn from a seed injects faults: kills and restarts, SIGSTOP and SIGCONT (also
 * right as another instance takes over, and after the one that took over has crashed), graceful stops, a restart
 * and a stall of PostgreSQL, WebSocket drops and late commits. Then, with every instance up and the stream over,
 * the {@link HistoryChecker} judges the whole {@link History}.
 * <p>
 * {@code mvn verify} runs a short schedule (about two minutes in all). {@code -Dchaos.minutes=30} runs a long one;
 * {@code -Dchaos.seed=<seed>} replays a seed. The seed is printed first and named in every failure; the workers'
 * output and the merged history are kept under {@code target/chaos/<seed>/}.
 * <p>
 * The schedule's own waits between faults ({@link LockSupport#parkNanos}) are the schedule, not synchronization;
 * whatever waits for a state of the instances waits with Awaitility.
 */
class ChaosTests {

	/** The workers' settings that the checker's bounds are made of. */
	private static final int QUEUE_CAPACITY = 10;

	private static final Duration CHECKPOINT_INTERVAL = Duration.ofMillis(200);

	private static final Duration LOCK_TIME_TO_LIVE = Duration.ofSeconds(5);

	private static final Duration EMIT_EVERY = Duration.ofMillis(50);

	private static final Duration STARTUP = Duration.ofSeconds(120);

	private static final Pattern HANDLED = Pattern.compile("handled (\\d+) term \\d+ at \\d{13}$");

	private static final Pattern ROLE = Pattern.compile("role (LEADER|STANDBY) at (\\d{13})$");

	private static final String[] SLOTS = { "A", "B", "C" };

	private final History history = new History();

	private final List<Instance> everyInstance = new ArrayList<>();

	private final Instance[] slots = new Instance[SLOTS.length];

	private final List<String> surprises = new ArrayList<>();

	private Path folder;

	private String[] args;

	@Test
	void threeInstancesUnderFaultsHandleEveryEventAsPromised() throws Exception {
		long seed = Long.getLong("chaos.seed", new Random().nextLong());
		double minutes = Double.parseDouble(System.getProperty("chaos.minutes", "0"));
		Duration length = (minutes > 0) ? Duration.ofMillis((long) (minutes * 60_000)) : Duration.ofSeconds(70);
		Schedule schedule = Schedule.of(seed, length);
		System.out.println("Chaos seed " + seed + " (replay with -Dchaos.seed=" + seed + "), "
				+ ((minutes > 0) ? minutes + " minutes" : "the short schedule"));
		System.out.println(schedule);
		this.folder = Path.of("target", "chaos", Long.toString(seed)).toAbsolutePath();
		org.springframework.util.FileSystemUtils.deleteRecursively(this.folder);
		java.nio.file.Files.createDirectories(this.folder);
		ScheduledExecutorService commits = Executors.newSingleThreadScheduledExecutor();
		try (ChaosPostgres postgres = ChaosPostgres.start(this.folder.resolve("pgdata"));
				FakeArvadosCluster cluster = FakeArvadosCluster.start()) {
			this.args = new String[] { "--arvados.events.endpoint=" + cluster.endpoint(),
					"--arvados.events.token=" + cluster.token(), "--spring.datasource.url=" + postgres.url(),
					"--spring.datasource.username=postgres",
					"--spring.datasource.type=org.springframework.jdbc.datasource.SimpleDriverDataSource",
					"--spring.integration.jdbc.initialize-schema=never", "--arvados.events.checkpoint.store=jdbc",
					"--arvados.events.checkpoint.key=chaos",
					// The first leader may die before its first save: from the first id, not "latest", whoever
					// starts with none saved, so that "every committed id was handled" holds from the first.
					"--arvados.events.start-from=1", "--logging.level.org.arvados.events.annotation=INFO",
					"--arvados.events.checkpoint.interval=" + CHECKPOINT_INTERVAL.toMillis() + "ms",
					"--arvados.events.queue-capacity=" + QUEUE_CAPACITY,
					"--arvados.events.leader-election.enabled=true",
					"--arvados.events.leader-election.lock-time-to-live=" + LOCK_TIME_TO_LIVE.toMillis() + "ms" };
			for (int slot = 0; slot < SLOTS.length; slot++) {
				start(slot);
			}
			await().atMost(STARTUP).until(() -> leader() != null);
			AtomicBoolean emitting = new AtomicBoolean(true);
			Thread emitter = new Thread(() -> {
				while (emitting.get()) {
					LogEntry entry = cluster.emit("update", FakeArvadosCluster.uuid("4zz18"), Map.of());
					this.history.committed(entry.id(), System.currentTimeMillis());
					LockSupport.parkNanos(EMIT_EVERY.toNanos());
				}
			}, "chaos-emitter");
			emitter.start();
			try {
				int number = 0;
				for (Step step : schedule.steps()) {
					System.out.println("Chaos step " + (++number) + "/" + schedule.steps().size() + ": " + step);
					run(step, postgres, cluster, commits);
					park(step.gap());
				}
				// Long enough after the last fault for the checker to see the recovery from it.
				park(LOCK_TIME_TO_LIVE.plusSeconds(7));
			}
			finally {
				emitting.set(false);
				emitter.join();
				commits.shutdown();
				commits.awaitTermination(30, TimeUnit.SECONDS);
			}
			// The quiet period: every instance up, nothing more emitted, until all that was committed is handled.
			for (int slot = 0; slot < SLOTS.length; slot++) {
				if (!this.slots[slot].worker.isAlive()) {
					start(slot);
				}
			}
			Set<Long> committed = cluster.log().stream().map(LogEntry::id).collect(Collectors.toSet());
			try {
				await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
					.until(() -> handledSoFar().containsAll(committed));
			}
			catch (ConditionTimeoutException ex) {
				// The checker says which are missing.
			}
			long end = System.currentTimeMillis();
			for (Instance instance : this.everyInstance) {
				if (!instance.worker.isAlive() && !instance.stoppedOnPurpose) {
					this.surprises.add("[chaos seed " + seed + "] instance " + instance.name + " exited by itself");
				}
				this.history.read(instance.name, instance.worker.lines());
			}
			this.history.end(end);
			Path historyFile = this.folder.resolve("history.txt");
			this.history.write(historyFile);
			HistoryChecker checker = new HistoryChecker(this.history, seed, QUEUE_CAPACITY, CHECKPOINT_INTERVAL,
					ChaosWorker.WORK, LOCK_TIME_TO_LIVE);
			List<String> violations = new ArrayList<>(this.surprises);
			violations.addAll(checker.violations(committed));
			System.out.println("Chaos seed " + seed + ": " + committed.size() + " ids committed, "
					+ this.history.handled().size() + " handlings, " + this.history.faults().size() + " faults, "
					+ this.everyInstance.size() + " instances; " + violations.size() + " violations; history in "
					+ historyFile);
			if (!violations.isEmpty()) {
				dumpThreads();
			}
			assertThat(violations)
				.as("chaos seed %d (replay with -Dchaos.seed=%d; history in %s, workers' output beside it)", seed, seed,
						historyFile)
				.isEmpty();
		}
		finally {
			commits.shutdownNow();
			this.everyInstance.forEach((instance) -> instance.worker.close());
		}
	}

	private void run(Step step, ChaosPostgres postgres, FakeArvadosCluster cluster, ScheduledExecutorService commits) {
		Random random = new Random(step.seed());
		switch (step.kind()) {
			case KILL -> {
				Instance target = target(step);
				kill(target);
				park(step.downtime());
				start(target.slot);
			}
			case PAUSE -> {
				Instance target = target(step);
				long start = signal(target, "STOP");
				park(step.hold());
				long end = signal(target, "CONT");
				this.history.fault(FaultKind.PAUSE, target.name, start, end);
			}
			case PAUSE_UNTIL_TAKEOVER -> {
				Instance target = leaderOrAny(step);
				long start = signal(target, "STOP");
				awaitTakeover(target, start);
				long end = signal(target, "CONT");
				this.history.fault(FaultKind.PAUSE, target.name, start, end);
			}
			case PAUSE_TAKER_CRASHES -> {
				Instance target = leaderOrAny(step);
				long start = signal(target, "STOP");
				Instance taker = awaitTakeover(target, start);
				if (taker != null) {
					kill(taker);
					park(step.hold());
				}
				long end = signal(target, "CONT");
				this.history.fault(FaultKind.PAUSE, target.name, start, end);
				if (taker != null) {
					park(step.downtime());
					start(taker.slot);
				}
			}
			case TERM -> {
				Instance target = target(step);
				long start = System.currentTimeMillis();
				target.stoppedOnPurpose = true;
				boolean exited = terminate(target);
				long end = System.currentTimeMillis();
				this.history.fault(FaultKind.TERM, target.name, start, end);
				this.history.ended(target.name, end);
				if (!exited) {
					this.surprises.add("instance " + target.name + " did not stop within 30 s of SIGTERM");
				}
				park(step.downtime());
				start(target.slot);
			}
			case PG_RESTART -> {
				long start = System.currentTimeMillis();
				postgres.stop();
				park(step.downtime());
				postgres.startAgain();
				this.history.fault(FaultKind.PG_RESTART, "postgres", start, System.currentTimeMillis());
			}
			case PG_STALL -> {
				long start = System.currentTimeMillis();
				postgres.freeze();
				park(step.hold());
				postgres.thaw();
				this.history.fault(FaultKind.PG_STALL, "postgres", start, System.currentTimeMillis());
			}
			case WS_DROP -> {
				for (int i = 0; i < step.count(); i++) {
					long at = System.currentTimeMillis();
					cluster.dropConnections();
					this.history.fault(FaultKind.WS_DROP, "websocket", at, at);
					park(Duration.ofMillis(100 + random.nextInt(400)));
				}
			}
			case LATE_COMMITS -> {
				for (int i = 0; i < step.count(); i++) {
					long begun = System.currentTimeMillis();
					Transaction late = cluster.begin("update", FakeArvadosCluster.uuid("4zz18"), Map.of());
					boolean rollBack = random.nextInt(5) == 0;
					commits.schedule(() -> {
						if (rollBack) {
							late.rollback();
						}
						else {
							this.history.committed(late.commit().id(), System.currentTimeMillis());
						}
						this.history.fault(FaultKind.LATE_COMMIT, "cluster", begun, System.currentTimeMillis());
					}, 300 + random.nextInt(3_700), TimeUnit.MILLISECONDS);
				}
			}
		}
	}

	// Evidence for a failure: each live worker prints its threads (SIGQUIT) into its output, beside the history.
	private void dumpThreads() {
		for (Instance instance : this.everyInstance) {
			if (instance.worker.isAlive()) {
				Signals.send(instance.worker.pid(), "QUIT");
				try {
					await().atMost(Duration.ofSeconds(10)).until(() -> instance.worker.printed("JNI global refs"));
				}
				catch (ConditionTimeoutException ex) {
					// Its output says what it could.
				}
			}
		}
	}

	// The schedule's deliberate waits: not synchronization.
	private static void park(Duration duration) {
		LockSupport.parkNanos(duration.toNanos());
	}

	private void start(int slot) {
		Instance previous = this.slots[slot];
		int incarnation = (previous != null) ? previous.incarnation + 1 : 1;
		String name = SLOTS[slot] + incarnation;
		WorkerProcess worker = WorkerProcess.start(ChaosWorker.class, this.folder.resolve(name + ".log"), this.args);
		Instance instance = new Instance(slot, incarnation, name, worker);
		this.history.started(name, System.currentTimeMillis());
		this.slots[slot] = instance;
		this.everyInstance.add(instance);
	}

	private void kill(Instance target) {
		long at = System.currentTimeMillis();
		target.stoppedOnPurpose = true;
		try {
			target.worker.kill();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.history.fault(FaultKind.KILL, target.name, at, at);
		this.history.ended(target.name, at);
	}

	private boolean terminate(Instance target) {
		try {
			return target.worker.terminate();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private long signal(Instance target, String signal) {
		long at = System.currentTimeMillis();
		Signals.send(target.worker.pid(), signal);
		return at;
	}

	private Instance target(Step step) {
		return step.leader() ? leaderOrAny(step) : live().get(step.pick() % live().size());
	}

	private Instance leaderOrAny(Step step) {
		Instance leader = leader();
		return (leader != null) ? leader : live().get(step.pick() % live().size());
	}

	private List<Instance> live() {
		List<Instance> live = new ArrayList<>();
		for (Instance instance : this.slots) {
			if (instance.worker.isAlive()) {
				live.add(instance);
			}
		}
		return live;
	}

	/** The live instance whose latest role is LEADER, the latest such if several say so; null when none. */
	private Instance leader() {
		Instance leader = null;
		long since = -1;
		for (Instance instance : live()) {
			long at = instance.leaderSince();
			if (at > since) {
				leader = instance;
				since = at;
			}
		}
		return leader;
	}

	/** Another instance that took the lead after the given time; null if none within a minute. */
	private Instance awaitTakeover(Instance paused, long after) {
		Instance[] taker = new Instance[1];
		try {
			await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
				for (Instance instance : live()) {
					if (instance != paused && instance.leaderSince() > after) {
						taker[0] = instance;
						return true;
					}
				}
				return false;
			});
		}
		catch (ConditionTimeoutException ex) {
			// The checker reports that nothing was handled after the pause.
		}
		return taker[0];
	}

	private Set<Long> handledSoFar() {
		Set<Long> handled = new HashSet<>();
		for (Instance instance : this.everyInstance) {
			for (String line : instance.worker.lines()) {
				Matcher matcher = HANDLED.matcher(line);
				if (matcher.find()) {
					handled.add(Long.parseLong(matcher.group(1)));
				}
			}
		}
		return handled;
	}

	/** One run of a worker in a slot: A1, then A2 after A1 was killed or stopped, and so on. */
	private static final class Instance {

		final int slot;

		final int incarnation;

		final String name;

		final WorkerProcess worker;

		volatile boolean stoppedOnPurpose;

		Instance(int slot, int incarnation, String name, WorkerProcess worker) {
			this.slot = slot;
			this.incarnation = incarnation;
			this.name = name;
			this.worker = worker;
		}

		/** When its latest role line said LEADER; -1 when it stands by or said nothing yet. */
		long leaderSince() {
			long since = -1;
			for (String line : this.worker.lines()) {
				Matcher role = ROLE.matcher(line);
				if (role.find()) {
					since = role.group(1).equals("LEADER") ? Long.parseLong(role.group(2)) : -1;
				}
			}
			return since;
		}

	}

}

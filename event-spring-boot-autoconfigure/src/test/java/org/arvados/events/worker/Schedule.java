package org.arvados.events.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The faults of a chaos run, drawn from a seed: the same seed gives the same steps, durations and choices, so a
 * failing run is replayed with {@code -Dchaos.seed=<seed>} (the timing of the processes varies, the schedule does
 * not). Every kind of fault comes once first, in an order drawn from the seed, then kinds at random until the
 * schedule is as long as asked. The waits in it are the schedule itself, not synchronization.
 */
final class Schedule {

	/** What a step does. */
	enum Kind {

		/** SIGKILL an instance (the leader more often than not); start it again after {@code downtime}. */
		KILL,

		/** SIGSTOP an instance for {@code hold} (0.5 to 12 s: short of its lock's life, at its edge, past it). */
		PAUSE,

		/** SIGSTOP the leader; SIGCONT it right as another takes the lead. */
		PAUSE_UNTIL_TAKEOVER,

		/** SIGSTOP the leader; when another takes the lead, SIGKILL that one, then SIGCONT the first. */
		PAUSE_TAKER_CRASHES,

		/** SIGTERM an instance: a graceful stop; start it again after {@code downtime}. */
		TERM,

		/** Stop PostgreSQL for {@code downtime}, start it again on the same port and data. */
		PG_RESTART,

		/** SIGSTOP PostgreSQL (the postmaster and its backends) for {@code hold}. */
		PG_STALL,

		/** Drop every WebSocket connection, {@code count} times a few hundred ms apart. */
		WS_DROP,

		/** Begin {@code count} transactions; commit each (or roll back one in five) after up to 4 s. */
		LATE_COMMITS

	}

	/**
	 * One step.
	 * @param kind what it does
	 * @param leader whether it aims at the leader (else at an instance drawn at random)
	 * @param pick which instance when at random (an index, modulo the live ones)
	 * @param hold how long a pause or stall lasts
	 * @param downtime how long an instance or the database stays down
	 * @param count how many drops or transactions
	 * @param gap the quiet time after it
	 * @param seed for what the step draws while it runs (which transaction rolls back, when each commits)
	 */
	record Step(Kind kind, boolean leader, int pick, Duration hold, Duration downtime, int count, Duration gap,
			long seed) {

		/** About how long it takes. */
		Duration length() {
			return switch (this.kind) {
				case KILL, TERM, PG_RESTART -> this.downtime.plus(this.gap);
				case PAUSE, PG_STALL -> this.hold.plus(this.gap);
				case PAUSE_UNTIL_TAKEOVER -> Duration.ofSeconds(6).plus(this.gap);
				case PAUSE_TAKER_CRASHES -> Duration.ofSeconds(7).plus(this.hold).plus(this.downtime).plus(this.gap);
				case WS_DROP, LATE_COMMITS -> Duration.ofMillis(300L * this.count).plus(this.gap);
			};
		}

		@Override
		public String toString() {
			return this.kind + (switch (this.kind) {
				case KILL, TERM -> " of " + target() + ", down " + this.downtime.toMillis() + " ms";
				case PAUSE -> " of " + target() + " for " + this.hold.toMillis() + " ms";
				case PAUSE_UNTIL_TAKEOVER -> " of the leader";
				case PAUSE_TAKER_CRASHES -> " of the leader, woken " + this.hold.toMillis() + " ms after the kill, "
						+ "killed one down " + this.downtime.toMillis() + " ms";
				case PG_RESTART -> ", down " + this.downtime.toMillis() + " ms";
				case PG_STALL -> " for " + this.hold.toMillis() + " ms";
				case WS_DROP -> " x" + this.count;
				case LATE_COMMITS -> " x" + this.count;
			}) + ", then " + this.gap.toMillis() + " ms";
		}

		private String target() {
			return this.leader ? "the leader" : "instance #" + this.pick;
		}

	}

	private final long seed;

	private final List<Step> steps;

	private Schedule(long seed, List<Step> steps) {
		this.seed = seed;
		this.steps = steps;
	}

	/**
	 * Draw a schedule.
	 * @param seed the seed
	 * @param length about how long its steps take together (at least one step of each kind)
	 * @return the schedule
	 */
	static Schedule of(long seed, Duration length) {
		Random random = new Random(seed);
		List<Kind> kinds = new ArrayList<>(Arrays.asList(Kind.values()));
		Collections.shuffle(kinds, random);
		List<Step> steps = new ArrayList<>();
		Duration total = Duration.ZERO;
		for (int i = 0; i < kinds.size() || total.compareTo(length) < 0; i++) {
			Kind kind = (i < kinds.size()) ? kinds.get(i) : Kind.values()[random.nextInt(Kind.values().length)];
			Step step = new Step(kind, random.nextInt(3) > 0, random.nextInt(3), millis(random, 500, 12_000),
					millis(random, 500, 5_000), 1 + random.nextInt(3), millis(random, 3_000, 6_000), random.nextLong());
			steps.add(step);
			total = total.plus(step.length());
		}
		return new Schedule(seed, List.copyOf(steps));
	}

	private static Duration millis(Random random, int from, int to) {
		return Duration.ofMillis(from + random.nextInt(to - from));
	}

	long seed() {
		return this.seed;
	}

	List<Step> steps() {
		return this.steps;
	}

	@Override
	public String toString() {
		StringBuilder text = new StringBuilder("Chaos schedule of seed " + this.seed + ":");
		for (int i = 0; i < this.steps.size(); i++) {
			text.append("\n  ").append(i + 1).append(". ").append(this.steps.get(i));
		}
		return text.toString();
	}

}

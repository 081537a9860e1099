package org.arvados.events.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.arvados.events.lifecycle.StreamRole;
import org.arvados.events.worker.History.Fault;
import org.arvados.events.worker.History.Handled;
import org.arvados.events.worker.History.RoleChange;

/**
 * Judges a chaos run's {@link History} against what docs/restarts-and-several-instances.md promises of several instances:
 * <ol>
 * <li>every committed id was handled, by someone;</li>
 * <li>an id is handled again only across a crash or a pause (a kill or a SIGSTOP of the instance that handled it
 * first, or of the one that handles it again in an older term: a handler running when its instance was paused
 * finishes as it wakes; or a restart or a stall of the database), and at most {@link #repeatBound()} ids (queue-capacity plus
 * one checkpoint interval worth: the interval over a handler's work) per such fault; never twice in one term;</li>
 * <li>never two instances handling in the same lead term (nor anything handled before a term was claimed);</li>
 * <li>after every fault, some instance handles an event nobody had handled within {@code lock-time-to-live} + 5 s
 * (from the start of the fault, or from the end of a database fault: nothing can lead while it lasts; a crash,
 * pause or stop before that deadline starts the clock again, and is judged itself);</li>
 * <li>no instance holds the lock while following nothing for longer than that: approximated from the history,
 * not read from {@code INT_LOCK} (whose reader would stall with the database): from each {@code role LEADER} to
 * the instance's next role or its end, no stretch longer than that without a handled event while an event was
 * committed in it, leaving out the instance's own pauses and the database's faults (the stretch is counted from
 * their end).</li>
 * </ol>
 * Each violation is a sentence that names the seed, so that any one can be replayed.
 */
final class HistoryChecker {

	private final History history;

	private final long seed;

	private final int queueCapacity;

	private final Duration checkpointInterval;

	private final Duration work;

	private final Duration recovery;

	HistoryChecker(History history, long seed, int queueCapacity, Duration checkpointInterval, Duration work,
			Duration lockTimeToLive) {
		this.history = history;
		this.seed = seed;
		this.queueCapacity = queueCapacity;
		this.checkpointInterval = checkpointInterval;
		this.work = work;
		this.recovery = lockTimeToLive.plusSeconds(5);
	}

	/** How long after a wake a handler that ran across the pause may still log its event. */
	private static final long STRADDLE_MILLIS = 1000;

	/** How many ids one fault may repeat: queue-capacity plus the most handled in one checkpoint interval. */
	int repeatBound() {
		return this.queueCapacity + (int) Math.ceil((double) this.checkpointInterval.toNanos() / this.work.toNanos());
	}

	/**
	 * Everything wrong with the run.
	 * @param committed the ids the cluster committed
	 * @return a sentence per violation, empty when none
	 */
	List<String> violations(Set<Long> committed) {
		List<String> violations = new ArrayList<>();
		everyCommittedIdWasHandled(committed, violations);
		repeatsOnlyAcrossACrashOrAPause(violations);
		oneInstancePerTerm(violations);
		somethingNewIsHandledAfterEveryFault(violations);
		noLeaderFollowsNothing(violations);
		return violations;
	}

	private void everyCommittedIdWasHandled(Set<Long> committed, List<String> violations) {
		Set<Long> handled = this.history.handled().stream().map(Handled::id).collect(Collectors.toSet());
		TreeSet<Long> missing = new TreeSet<>(committed);
		missing.removeAll(handled);
		if (!missing.isEmpty()) {
			violations.add(says() + missing.size() + " of " + committed.size() + " committed ids were never handled: "
					+ first(missing));
		}
		TreeSet<Long> unknown = new TreeSet<>(handled);
		unknown.removeAll(committed);
		if (!unknown.isEmpty()) {
			violations.add(says() + "ids that were never committed were handled: " + first(unknown));
		}
	}

	private void repeatsOnlyAcrossACrashOrAPause(List<String> violations) {
		Map<Long, Handled> first = new HashMap<>();
		// The repeats of each term: what it handled that an earlier term had handled.
		Map<Long, List<Handled[]>> repeats = new TreeMap<>();
		for (Handled handled : this.history.handled()) {
			Handled before = first.putIfAbsent(handled.id(), handled);
			if (before == null) {
				continue;
			}
			if (before.term() == handled.term()) {
				violations.add(says() + "id " + handled.id() + " was handled twice in term " + handled.term() + ", by "
						+ before.instance() + " at " + History.time(before.at()) + " and by " + handled.instance()
						+ " at " + History.time(handled.at()));
				continue;
			}
			repeats.computeIfAbsent(handled.term(), (term) -> new ArrayList<>()).add(new Handled[] { before, handled });
		}
		repeats.forEach((term, pairs) -> {
			long firstOriginal = pairs.stream().mapToLong((pair) -> pair[0].at()).min().orElseThrow();
			long firstRepeat = pairs.stream().mapToLong((pair) -> pair[1].at()).min().orElseThrow();
			Set<String> originals = pairs.stream().map((pair) -> pair[0].instance()).collect(Collectors.toSet());
			// A repeat of an older term is a leader paused with a handler running: it finishes when it wakes, after
			// the new leader handled the same event. Across a pause too, of the one that repeats.
			Set<String> pausedRepeaters = pairs.stream()
				.filter((pair) -> pair[1].term() < pair[0].term())
				.map((pair) -> pair[1].instance())
				.collect(Collectors.toSet());
			List<Fault> faults = this.history.faults()
				.stream()
				// A handling that ended within a second of a wake ran across that pause (the log line comes at its end).
				.filter((fault) -> fault.kind().crashOrPause() && fault.end() >= firstOriginal - STRADDLE_MILLIS
						&& fault.start() <= firstRepeat
						&& (fault.kind().ofTheDatabase() || originals.contains(fault.target())
								|| (fault.kind() == History.FaultKind.PAUSE && pausedRepeaters.contains(fault.target()))))
				.toList();
			String what = pairs.size() + " ids first handled by " + originals + " (from "
					+ History.time(firstOriginal) + ") were handled again in term " + term + " by " + pairs.get(0)[1].instance()
					+ " (from " + History.time(firstRepeat) + "), e.g. "
					+ first(pairs.stream().map((pair) -> pair[0].id()).collect(Collectors.toCollection(TreeSet::new)));
			if (faults.isEmpty()) {
				violations.add(says() + what + ", with no crash or pause of theirs or of the database between");
			}
			else if (pairs.size() > repeatBound() * faults.size()) {
				violations.add(says() + what + ": more than " + repeatBound() + " (queue-capacity "
						+ this.queueCapacity + " + one checkpoint.interval of " + this.checkpointInterval.toMillis()
						+ " ms at " + this.work.toMillis() + " ms an event) per fault, across " + faults);
			}
		});
	}

	private void oneInstancePerTerm(List<String> violations) {
		Map<Long, Set<String>> instances = new TreeMap<>();
		for (Handled handled : this.history.handled()) {
			instances.computeIfAbsent(handled.term(), (term) -> new TreeSet<>()).add(handled.instance());
		}
		instances.forEach((term, names) -> {
			if (term == 0) {
				violations.add(says() + names + " handled events before claiming any lead term (term 0)");
			}
			else if (names.size() > 1) {
				violations.add(says() + "instances " + names + " all handled events in lead term " + term);
			}
		});
	}

	private void somethingNewIsHandledAfterEveryFault(List<String> violations) {
		// When each id was first handled, in time order.
		TreeMap<Long, Long> firstHandlings = new TreeMap<>();
		Set<Long> seen = new java.util.HashSet<>();
		for (Handled handled : this.history.handled()) {
			if (seen.add(handled.id())) {
				firstHandlings.merge(handled.at(), handled.id(), (a, b) -> a);
			}
		}
		for (Fault fault : this.history.faults()) {
			if (fault.kind() == History.FaultKind.LATE_COMMIT) {
				continue;
			}
			long from = fault.disruptedAt();
			long deadline = from + this.recovery.toMillis();
			if (deadline > this.history.end() || supersededBeforeRecovery(fault, from, deadline)) {
				continue;
			}
			Map.Entry<Long, Long> next = firstHandlings.higherEntry(from);
			if (next == null || next.getKey() > deadline) {
				violations.add(says() + "after " + fault + " no instance handled a new event within "
						+ this.recovery.toSeconds() + " s (lock-time-to-live + 5 s) of " + History.time(from)
						+ ((next != null) ? "; the next came at " + History.time(next.getKey()) + " (id " + next.getValue()
								+ ")" : "; none came"));
			}
		}
	}

	// A crash or pause (or a graceful stop) before the deadline of an earlier fault starts the clock again: the
	// instance that took over from a paused leader and is killed before it handled anything is judged from its
	// kill. That later fault is judged itself. A WebSocket drop or a late commit does not restart the clock.
	private boolean supersededBeforeRecovery(Fault fault, long from, long deadline) {
		return this.history.faults()
			.stream()
			.anyMatch((later) -> later != fault && (later.kind().crashOrPause() || later.kind() == History.FaultKind.TERM)
					&& later.disruptedAt() > from && later.disruptedAt() <= deadline);
	}

	private void noLeaderFollowsNothing(List<String> violations) {
		long limit = this.recovery.toMillis();
		List<Long> commits = this.history.committed().values().stream().sorted().toList();
		Map<String, List<RoleChange>> rolesOf = new LinkedHashMap<>();
		this.history.roles().forEach((role) -> rolesOf.computeIfAbsent(role.instance(), (name) -> new ArrayList<>()).add(role));
		rolesOf.forEach((instance, roles) -> {
			long lifeEnd = Math.min(this.history.lives().get(instance).end(), this.history.end());
			List<long[]> excluded = this.history.faults()
				.stream()
				.filter((fault) -> fault.kind().ofTheDatabase()
						|| (fault.kind() == History.FaultKind.PAUSE && fault.target().equals(instance)))
				.map((fault) -> new long[] { fault.start(), fault.end() })
				.toList();
			List<Long> handledAt = this.history.handled()
				.stream()
				.filter((handled) -> handled.instance().equals(instance))
				.map(Handled::at)
				.toList();
			for (int i = 0; i < roles.size(); i++) {
				if (roles.get(i).role() != StreamRole.LEADER) {
					continue;
				}
				long from = roles.get(i).at();
				long to = (i + 1 < roles.size()) ? roles.get(i + 1).at() : lifeEnd;
				List<Long> marks = new ArrayList<>(handledAt.stream().filter((at) -> at > from && at <= to).toList());
				marks.add(to);
				long cursor = from;
				for (long mark : marks) {
					long start = cursor;
					for (long[] window : excluded) {
						if (window[0] <= mark && window[1] >= cursor) {
							start = Math.max(start, window[1]);
						}
					}
					long idleStart = start;
					if (mark - idleStart > limit
							&& commits.stream().anyMatch((at) -> at >= idleStart && at <= mark - limit)) {
						violations.add(says() + instance + " led (role LEADER since " + History.time(from)
								+ ") but handled nothing from " + History.time(idleStart) + " to " + History.time(mark)
								+ " (" + (mark - idleStart) + " ms, more than lock-time-to-live + 5 s) while events were "
								+ "committed");
					}
					cursor = mark;
				}
			}
		});
	}

	private String says() {
		return "[chaos seed " + this.seed + "] ";
	}

	private static String first(Set<Long> ids) {
		return ids.stream().limit(20).map(String::valueOf).collect(Collectors.joining(", ", "[", ""))
				+ ((ids.size() > 20) ? ", …]" : "]");
	}

}

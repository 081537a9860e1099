package org.arvados.events.worker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.arvados.events.lifecycle.StreamRole;

/**
 * What happened in a chaos run, on one wall clock (the workers and the test share the machine): the ids committed
 * and when, the faults injected, each instance's life, and, read from the workers' output, every event each one
 * handled (with its lead term) and every role it was given. {@link HistoryChecker} judges it.
 */
final class History {

	private static final Pattern HANDLED = Pattern.compile("handled (\\d+) term (\\d+) at (\\d{13})$");

	private static final Pattern ROLE = Pattern.compile("role (LEADER|STANDBY) at (\\d{13})$");

	/** What the schedule did. */
	enum FaultKind {

		/** SIGKILL of an instance. */
		KILL(true),

		/** SIGSTOP of an instance, then SIGCONT. */
		PAUSE(true),

		/** SIGTERM of an instance: a graceful stop. */
		TERM(false),

		/** PostgreSQL stopped (fast: connections cut), then started again. */
		PG_RESTART(true),

		/** PostgreSQL frozen with SIGSTOP, then woken. */
		PG_STALL(true),

		/** Every WebSocket connection closed without a close frame. */
		WS_DROP(false),

		/** A transaction begun, others committed meanwhile, then committed or rolled back. */
		LATE_COMMIT(false);

		private final boolean crashOrPause;

		FaultKind(boolean crashOrPause) {
			this.crashOrPause = crashOrPause;
		}

		/** Whether events handled before it may be handled again after it. */
		boolean crashOrPause() {
			return this.crashOrPause;
		}

		boolean ofTheDatabase() {
			return this == PG_RESTART || this == PG_STALL;
		}

	}

	/** An event an instance handled under a lead term. */
	record Handled(String instance, long id, long term, long at) {
	}

	/** A role an instance was given. */
	record RoleChange(String instance, StreamRole role, long at) {
	}

	/**
	 * A fault, from when it began to when it ended (the same for an instant one).
	 * @param target the instance, {@code postgres}, {@code websocket} or {@code cluster}
	 */
	record Fault(FaultKind kind, String target, long start, long end) {

		/** From when the followers must recover: the end of a database fault, the start of the others. */
		long disruptedAt() {
			return this.kind.ofTheDatabase() ? this.end : this.start;
		}

		@Override
		public String toString() {
			return this.kind + " of " + this.target + " " + time(this.start)
					+ ((this.end != this.start) ? " to " + time(this.end) : "");
		}

	}

	/** When an instance ran: from its start to its exit, {@link Long#MAX_VALUE} while it runs. */
	record Life(String instance, long start, long end) {
	}

	private final Map<Long, Long> committed = new ConcurrentHashMap<>();

	private final List<Fault> faults = new ArrayList<>();

	private final Map<String, Life> lives = new TreeMap<>();

	private final List<Handled> handled = new ArrayList<>();

	private final List<RoleChange> roles = new ArrayList<>();

	private long end = Long.MAX_VALUE;

	void committed(long id, long at) {
		this.committed.put(id, at);
	}

	synchronized void fault(FaultKind kind, String target, long start, long end) {
		this.faults.add(new Fault(kind, target, start, end));
	}

	synchronized void started(String instance, long at) {
		this.lives.put(instance, new Life(instance, at, Long.MAX_VALUE));
	}

	synchronized void ended(String instance, long at) {
		Life life = this.lives.get(instance);
		this.lives.put(instance, new Life(instance, life.start(), at));
	}

	/**
	 * Read what an instance printed, once it is over (or at the end of the run).
	 * @param instance its name
	 * @param lines its output
	 */
	synchronized void read(String instance, List<String> lines) {
		for (String line : lines) {
			Matcher handled = HANDLED.matcher(line);
			if (handled.find()) {
				this.handled.add(new Handled(instance, Long.parseLong(handled.group(1)), Long.parseLong(handled.group(2)),
						Long.parseLong(handled.group(3))));
				continue;
			}
			Matcher role = ROLE.matcher(line);
			if (role.find()) {
				this.roles.add(new RoleChange(instance, StreamRole.valueOf(role.group(1)), Long.parseLong(role.group(2))));
			}
		}
	}

	/** The end of the run: every instance read. */
	synchronized void end(long at) {
		this.end = at;
		this.handled.sort(Comparator.comparingLong(Handled::at));
		this.roles.sort(Comparator.comparingLong(RoleChange::at));
		this.faults.sort(Comparator.comparingLong(Fault::start));
	}

	/** The ids committed, with when: only those the cluster says are committed count (not the rolled back). */
	Map<Long, Long> committed() {
		return this.committed;
	}

	List<Fault> faults() {
		return this.faults;
	}

	Map<String, Life> lives() {
		return this.lives;
	}

	/** Everything handled, in time order. */
	List<Handled> handled() {
		return this.handled;
	}

	/** Every role given, in time order. */
	List<RoleChange> roles() {
		return this.roles;
	}

	long end() {
		return this.end;
	}

	/**
	 * Write it all in time order, a line per entry, for whoever reads a failure.
	 * @param file where
	 */
	synchronized void write(Path file) {
		TreeMap<Long, List<String>> lines = new TreeMap<>();
		this.committed.forEach((id, at) -> add(lines, at, "committed " + id));
		this.faults.forEach((fault) -> {
			add(lines, fault.start(), "FAULT " + fault.kind() + " of " + fault.target() + " begins");
			if (fault.end() != fault.start()) {
				add(lines, fault.end(), "FAULT " + fault.kind() + " of " + fault.target() + " ends");
			}
		});
		this.lives.values().forEach((life) -> {
			add(lines, life.start(), "instance " + life.instance() + " started");
			if (life.end() != Long.MAX_VALUE) {
				add(lines, life.end(), "instance " + life.instance() + " ended");
			}
		});
		this.handled.forEach((h) -> add(lines, h.at(), h.instance() + " handled " + h.id() + " term " + h.term()));
		this.roles.forEach((r) -> add(lines, r.at(), r.instance() + " role " + r.role()));
		List<String> text = new ArrayList<>();
		lines.forEach((at, entries) -> entries.forEach((entry) -> text.add(time(at) + " " + entry)));
		try {
			Files.createDirectories(file.getParent());
			Files.write(file, text);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void add(TreeMap<Long, List<String>> lines, long at, String entry) {
		lines.computeIfAbsent(at, (key) -> new ArrayList<>()).add(entry);
	}

	static String time(long millis) {
		return Instant.ofEpochMilli(millis).toString();
	}

}

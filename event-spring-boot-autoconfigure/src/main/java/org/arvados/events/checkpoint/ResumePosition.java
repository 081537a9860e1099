package org.arvados.events.checkpoint;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongSupplier;

/**
 * Where the stream stands, aware that Arvados log ids do not arrive in id order.
 * <p>
 * Ids come from a PostgreSQL sequence when a transaction starts; events are sent when it commits. So id 100
 * can arrive after 101, and a replay can repeat or interleave ids. A single "last id" would lose 100; this
 * keeps the highest accepted id, the ranges below it not seen yet (gaps, each with the time it opened), and
 * the ids accepted but not yet handled. An arriving id is new (above the highest), late (fills a gap), or a
 * duplicate. The {@link #lowWaterMark() low-water mark} is the id up to which everything is handled or given
 * up: it is what a resubscription asks to resume after and what a checkpoint stores.
 * <p>
 * A gap is given up when the logs list, asked once the gap had been open for {@code gapTimeout}, answers without
 * it (a rolled-back transaction burns its id for good), judged by that gap's own age; or, oldest first, when more
 * than {@code maxGaps} are open. While the list cannot be asked, a gap stays open whatever its age. Gaps are also how
 * ids the server never sends us (other event types, objects we may not read) look, which is why they must
 * close. Ages are measured on a monotonic clock ({@link System#nanoTime()}), so that a step of the wall clock (NTP,
 * a resumed VM) does not close every gap at once. Thread-safe.
 */
public final class ResumePosition {

	/** What {@link #accept(long)} decided about an id. */
	public enum Acceptance {

		/** Above every id seen so far. */
		NEW,

		/** Below the highest id, filling a gap: a late commit. */
		LATE,

		/** Already accepted (or before the start): drop it. */
		DUPLICATE

	}

	private final LongSupplier nanoTime;

	private final long gapTimeoutNanos;

	private final int maxGaps;

	private boolean started;

	private long highest;

	/** Open gaps: first id of the range to the range. */
	private final TreeMap<Long, Gap> gaps = new TreeMap<>();

	private final TreeSet<Long> inFlight = new TreeSet<>();

	private long closedGaps;

	/**
	 * A position that knows nothing yet: the first id accepted becomes the start ("latest"). Gap ages are measured
	 * with {@link System#nanoTime()}.
	 * @param gapTimeout how long a gap stays open
	 * @param maxGaps how many gaps at most
	 */
	public ResumePosition(Duration gapTimeout, int maxGaps) {
		this(gapTimeout, maxGaps, System::nanoTime);
	}

	/**
	 * A position that knows nothing yet, measuring gap ages with the given monotonic ticker.
	 * @param gapTimeout how long a gap stays open
	 * @param maxGaps how many gaps at most
	 * @param nanoTime a monotonic time in nanoseconds, as {@link System#nanoTime()} (tests pass a manual one)
	 */
	public ResumePosition(Duration gapTimeout, int maxGaps, LongSupplier nanoTime) {
		this.gapTimeoutNanos = saturatedNanos(gapTimeout);
		this.maxGaps = maxGaps;
		this.nanoTime = nanoTime;
	}

	/**
	 * Start after the given id: everything up to and including it counts as handled.
	 * @param id the id to resume after
	 */
	public synchronized void startAfter(long id) {
		this.started = true;
		this.highest = id;
		this.gaps.clear();
	}

	/**
	 * Know nothing again: before loading a position another instance may have moved.
	 */
	public synchronized void clear() {
		this.started = false;
		this.highest = 0;
		this.gaps.clear();
		this.inFlight.clear();
	}

	/**
	 * Start where a checkpoint says: after its highest id, with its gaps open again (their age starts now, so the
	 * list is asked for them before they can be given up).
	 * @param checkpoint the saved position
	 */
	public synchronized void restore(Checkpoint checkpoint) {
		startAfter(checkpoint.highestId());
		this.inFlight.clear();
		long now = this.nanoTime.getAsLong();
		for (Range gap : checkpoint.gaps()) {
			open(gap.from(), gap.to(), now);
		}
	}

	/**
	 * The position to save: the highest id, and as gaps the ids not seen and those seen but not handled yet. At
	 * most {@code maxGaps} ranges: beyond that the highest id saved is lowered below the first range left out, so
	 * a restart repeats what is above it rather than skip what was not handled.
	 * @return the checkpoint
	 */
	public synchronized Checkpoint snapshot() {
		List<Range> open = new ArrayList<>();
		Iterator<Map.Entry<Long, Gap>> gaps = this.gaps.entrySet().iterator();
		Iterator<Long> busy = this.inFlight.iterator();
		Map.Entry<Long, Gap> gap = gaps.hasNext() ? gaps.next() : null;
		Long id = busy.hasNext() ? busy.next() : null;
		while (gap != null || id != null) {
			Range next;
			if (id == null || (gap != null && gap.getKey() < id)) {
				next = new Range(gap.getKey(), gap.getValue().to());
				gap = gaps.hasNext() ? gaps.next() : null;
			}
			else {
				next = new Range(id, id);
				id = busy.hasNext() ? busy.next() : null;
			}
			Range last = open.isEmpty() ? null : open.get(open.size() - 1);
			if (last != null && next.from() <= last.to() + 1) {
				open.set(open.size() - 1, new Range(last.from(), Math.max(last.to(), next.to())));
			}
			else if (open.size() == this.maxGaps) {
				return new Checkpoint(next.from() - 1, open);
			}
			else {
				open.add(next);
			}
		}
		return new Checkpoint(this.highest, open);
	}

	/**
	 * Whether a position is known (an explicit start, a checkpoint, or a first event).
	 */
	public synchronized boolean isStarted() {
		return this.started;
	}

	/**
	 * Take an arriving id. A new or late id is marked in flight until {@link #handled(long)}.
	 * @param id the event's id
	 * @return whether to deliver it
	 */
	public synchronized Acceptance accept(long id) {
		if (!this.started) {
			startAfter(id - 1);
		}
		Acceptance acceptance;
		if (id > this.highest) {
			if (id > this.highest + 1) {
				open(this.highest + 1, id - 1, this.nanoTime.getAsLong());
			}
			this.highest = id;
			acceptance = Acceptance.NEW;
		}
		else if (fill(id)) {
			acceptance = Acceptance.LATE;
		}
		else {
			return Acceptance.DUPLICATE;
		}
		this.inFlight.add(id);
		return acceptance;
	}

	/**
	 * The handlers are done with an accepted id.
	 * @param id the id
	 */
	public synchronized void handled(long id) {
		this.inFlight.remove(id);
	}

	/**
	 * An accepted id will not be handled after all (it could not be queued): treat it as never seen, so
	 * that a resubscription asks for it again.
	 * @param id the id
	 */
	public synchronized void release(long id) {
		if (this.inFlight.remove(id)) {
			open(id, id, this.nanoTime.getAsLong());
		}
	}

	/**
	 * The logs list answered a query for the ids from one to another without some of them: give up the gaps in
	 * that range that had been open for the gap timeout when the query was sent. A gap nobody could ask about
	 * stays open (bounded by {@code maxGaps}), however old: an outage of the list must not lose a late commit.
	 * @param from the first id asked for
	 * @param to the last id asked for
	 * @param askedAt when the query was sent, on this position's {@link #nanoTime() ticker}
	 * @return how many gaps were given up
	 */
	public synchronized int giveUpGaps(long from, long to, long askedAt) {
		int closed = 0;
		for (Iterator<Map.Entry<Long, Gap>> it = this.gaps.subMap(from, true, to, true).entrySet().iterator(); it
			.hasNext();) {
			Map.Entry<Long, Gap> gap = it.next();
			// A difference of nano times, never a comparison of two: they may wrap.
			if (gap.getValue().to() <= to && askedAt - gap.getValue().openedAt() >= this.gapTimeoutNanos) {
				it.remove();
				closed++;
			}
		}
		this.closedGaps += closed;
		return closed;
	}

	/**
	 * Now, on the monotonic ticker that measures gap ages.
	 */
	public long nanoTime() {
		return this.nanoTime.getAsLong();
	}

	/**
	 * The id up to which every id is handled or given up; 0 when nothing is known yet.
	 */
	public synchronized long lowWaterMark() {
		long mark = this.highest;
		if (!this.gaps.isEmpty()) {
			mark = Math.min(mark, this.gaps.firstKey() - 1);
		}
		if (!this.inFlight.isEmpty()) {
			mark = Math.min(mark, this.inFlight.first() - 1);
		}
		return mark;
	}

	/** The highest id accepted, 0 when nothing is known yet. */
	public synchronized long highestId() {
		return this.highest;
	}

	/**
	 * The open gaps, lowest ids first.
	 * @param max how many at most
	 * @return each as the first and last missing id
	 */
	public synchronized List<Range> openGapRanges(int max) {
		List<Range> ranges = new ArrayList<>(Math.min(max, this.gaps.size()));
		for (Map.Entry<Long, Gap> gap : this.gaps.entrySet()) {
			if (ranges.size() == max) {
				break;
			}
			ranges.add(new Range(gap.getKey(), gap.getValue().to()));
		}
		return ranges;
	}

	/** How many gaps are open. */
	public synchronized int openGaps() {
		return this.gaps.size();
	}

	/** How many gaps were closed unfilled since the start, by age or by overflow. */
	public synchronized long closedGaps() {
		return this.closedGaps;
	}

	private void open(long from, long to, long now) {
		this.gaps.put(from, new Gap(to, now));
		while (this.gaps.size() > this.maxGaps) {
			this.gaps.pollFirstEntry();
			this.closedGaps++;
		}
	}

	private boolean fill(long id) {
		Map.Entry<Long, Gap> entry = this.gaps.floorEntry(id);
		if (entry == null || entry.getValue().to() < id) {
			return false;
		}
		long from = entry.getKey();
		Gap gap = entry.getValue();
		this.gaps.remove(from);
		// The two halves keep the age of the gap they came from.
		if (from < id) {
			this.gaps.put(from, new Gap(id - 1, gap.openedAt()));
		}
		if (id < gap.to()) {
			this.gaps.put(id + 1, new Gap(gap.to(), gap.openedAt()));
		}
		return true;
	}

	private static long saturatedNanos(Duration duration) {
		try {
			return duration.toNanos();
		}
		catch (ArithmeticException ex) {
			return Long.MAX_VALUE;
		}
	}

	/** A range of missing ids: its last id, and when it opened, in {@link System#nanoTime()} terms. */
	private record Gap(long to, long openedAt) {
	}

	/**
	 * Ids from one to another, both included.
	 *
	 * @param from the first
	 * @param to the last
	 */
	public record Range(long from, long to) {
	}

}

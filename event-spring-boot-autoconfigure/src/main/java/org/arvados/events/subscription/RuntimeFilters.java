package org.arvados.events.subscription;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.arvados.events.filter.EventFilter;

/**
 * The filter sets the application adds and removes while it runs, as the Python SDK's {@code subscribe} and
 * {@code unsubscribe}: asked for on any thread, applied by the {@link StreamMachine} on its own. A removal counts
 * at once; an addition counts once the position is known (before, there is nothing to judge events against), and
 * its history up to then is read through the logs list as a {@link Backfill}.
 */
final class RuntimeFilters implements FilterChanges {

	private static final Log logger = LogFactory.getLog(RuntimeFilters.class);

	/** A set asked for: read its history after an id, or none when negative. */
	private record Request(List<EventFilter> set, long after) {
	}

	private final EventIntake intake;

	private final LogCatchUp catchUp;

	private final List<Request> requested = new ArrayList<>();

	private final List<List<EventFilter>> removed = new ArrayList<>();

	/** Only on the machine's thread. */
	private final List<Backfill> backfills = new ArrayList<>();

	RuntimeFilters(EventIntake intake, LogCatchUp catchUp) {
		this.intake = intake;
		this.catchUp = catchUp;
	}

	/**
	 * Ask to follow one more set.
	 * @param set the filters
	 * @param after read the set's history after this id; negative for none
	 * @return {@code false} when the set is followed or asked for already
	 */
	synchronized boolean add(List<EventFilter> set, long after) {
		if (sets().contains(set)) {
			return false;
		}
		this.requested.add(new Request(List.copyOf(set), after));
		return true;
	}

	/**
	 * Follow a set no more, from now on.
	 * @param set the filters, as added
	 * @throws IllegalArgumentException if it is not followed
	 * @throws IllegalStateException if it is the only set
	 */
	synchronized void remove(List<EventFilter> set) {
		List<List<EventFilter>> sets = sets();
		if (!sets.contains(set)) {
			throw new IllegalArgumentException("Not subscribed to the filters " + set + "; the filter sets are " + sets);
		}
		if (sets.size() == 1) {
			throw new IllegalStateException("The filters " + set + " are the only filter set; subscribe to another "
					+ "first, or pause() to stop reading");
		}
		if (!this.requested.removeIf((request) -> request.set().equals(set))) {
			this.intake.removeFilters(set);
			this.removed.add(set);
		}
		logger.info("Stopped following Arvados events matching " + set);
	}

	/**
	 * The sets followed, and those asked for that wait for the position.
	 */
	synchronized List<List<EventFilter>> sets() {
		List<List<EventFilter>> sets = new ArrayList<>(this.intake.filters().sets());
		this.requested.forEach((request) -> sets.add(request.set()));
		return sets;
	}

	@Override
	public synchronized List<List<EventFilter>> takeRemoved() {
		List<List<EventFilter>> taken = List.copyOf(this.removed);
		this.removed.clear();
		for (Iterator<Backfill> pending = this.backfills.iterator(); pending.hasNext();) {
			Backfill backfill = pending.next();
			if (taken.contains(backfill.set())) {
				// The histories added after it deferred to it for the events it passes: they must know.
				this.intake.historyLeftUnread(backfill);
				pending.remove();
			}
		}
		return taken;
	}

	@Override
	public synchronized List<Added> apply() {
		if (this.requested.isEmpty() || !this.intake.isPositionKnown()) {
			return List.of();
		}
		List<Added> added = new ArrayList<>();
		for (Request request : this.requested) {
			long highest = this.intake.highestId();
			Backfill backfill = this.intake.addFilters(request.set(), request.after());
			if (backfill != null) {
				this.backfills.add(backfill);
			}
			logger.info("Following Arvados events matching " + request.set()
					+ ((backfill != null) ? "; reading " + backfill : " from after id " + highest));
			added.add(new Added(request.set(), highest));
		}
		this.requested.clear();
		return added;
	}

	@Override
	public boolean backfill(BooleanSupplier stillWanted) {
		for (Iterator<Backfill> pending = this.backfills.iterator(); pending.hasNext();) {
			Backfill backfill = pending.next();
			if (!this.catchUp.backfill(backfill, stillWanted)) {
				return false;
			}
			pending.remove();
			logger.debug("Read " + backfill);
		}
		return true;
	}

}

package org.arvados.events.subscription;

import java.util.List;
import java.util.function.Supplier;

import org.arvados.events.ArvadosEvent;
import org.arvados.events.checkpoint.ResumePosition.Range;
import org.arvados.events.filter.EventFilter;

/**
 * The history of a filter set added while the stream runs: the events it passes with ids from after a given one
 * up to the highest id the stream had accepted when the set was added. Those were judged by the sets before it;
 * what none of them passed was let go as filtered out, and is delivered now, straight to the handlers. Ids that
 * were missing then (the open gaps) go the usual way, since the stream may still receive them and judge them by
 * the new sets. What happens above the highest id is the stream's.
 * <p>
 * Not saved: a restart forgets a run-time filter set, and the application subscribes again.
 */
final class Backfill {

	private final List<EventFilter> set;

	private final Supplier<FilterSets> sets;

	private final long upTo;

	private final List<Range> gaps;

	private long after;

	/**
	 * @param set the filters of the added set
	 * @param sets the sets as they stand when asked: those added before this one judged what it reads
	 * @param after the history starts after this id
	 * @param upTo the highest id accepted when the set was added
	 * @param gaps the ids missing below it then
	 */
	Backfill(List<EventFilter> set, Supplier<FilterSets> sets, long after, long upTo, List<Range> gaps) {
		this.set = set;
		this.sets = sets;
		this.after = after;
		this.upTo = upTo;
		this.gaps = gaps;
	}

	List<EventFilter> set() {
		return this.set;
	}

	/** The id the history goes on after: it moves as events are handed on, so a failed read resumes there. */
	long after() {
		return this.after;
	}

	void handedOn(long id) {
		this.after = Math.max(this.after, id);
	}

	long upTo() {
		return this.upTo;
	}

	/**
	 * Whether the stream judged this event before the set was added (it had the id, so the sets before judged it).
	 * @param id the event's id
	 */
	boolean judgedBefore(long id) {
		if (id > this.upTo) {
			return false;
		}
		for (Range gap : this.gaps) {
			if (id >= gap.from() && id <= gap.to()) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Whether a set that was there before passed the event when it judged it: it was delivered then. Asked of the
	 * sets as they are now, which remember a set removed since, and what its own history had not delivered.
	 * @param event the event
	 */
	boolean passedBefore(ArvadosEvent event) {
		return this.sets.get().passedBefore(event, this.set);
	}

	@Override
	public String toString() {
		return "the history of " + this.set + " after id " + this.after + " up to id " + this.upTo;
	}

}

package org.arvados.events.subscription;

import java.util.ArrayList;
import java.util.List;

import org.arvados.events.ArvadosEvent;
import org.arvados.events.filter.EventFilter;

/**
 * The filter sets a subscription follows, as the event server keeps them for one connection: the filters of one
 * set must all pass, and an event is wanted when any set passes it. A set added at run time passes only ids
 * above the one it starts after: it does not reach back to ids the stream was still missing when it came (a
 * filtered-out id looks like a late one). Immutable: a change makes a new one.
 * <p>
 * A set removed is kept, no longer followed, with the ids it judged: a history read later asks whether an event
 * was delivered then by the sets that judged it then, not by those of now ({@link #passedBefore}).
 */
final class FilterSets {

	/** How many removed sets are remembered: beyond, the oldest is forgotten, and its events may come again. */
	private static final int MAX_REMOVED = 64;

	/**
	 * A set: it passes ids above {@code after}, up to {@code until} (the highest id when it was removed; the
	 * largest long while followed), but for those its history had yet to deliver when it was removed
	 * ({@code undeliveredAfter} exclusive to {@code undeliveredUpTo} inclusive; empty when equal).
	 */
	private record Entry(List<EventFilter> filters, long after, long until, long undeliveredAfter,
			long undeliveredUpTo, long sequence) {

		boolean followed() {
			return this.until == Long.MAX_VALUE;
		}

		boolean judged(long id) {
			return id > this.after && id <= this.until && (id <= this.undeliveredAfter || id > this.undeliveredUpTo);
		}

	}

	private final List<Entry> entries;

	private final List<List<EventFilter>> sets;

	private final long nextSequence;

	private FilterSets(List<Entry> entries, long nextSequence) {
		this.entries = List.copyOf(entries);
		this.sets = this.entries.stream().filter(Entry::followed).map(Entry::filters).toList();
		this.nextSequence = nextSequence;
	}

	/**
	 * One set: the filters of {@code arvados.events.filters}, for every id.
	 * @param filters the filters, none for every event
	 */
	static FilterSets of(List<EventFilter> filters) {
		return new FilterSets(List.of(new Entry(List.copyOf(filters), Long.MIN_VALUE, Long.MAX_VALUE, 0, 0, 0)), 1);
	}

	/**
	 * These sets and one more; the same when it is here already.
	 * @param set the filters of the new set
	 * @param after the set passes only ids above this one
	 */
	FilterSets with(List<EventFilter> set, long after) {
		if (contains(set)) {
			return this;
		}
		List<Entry> more = new ArrayList<>(this.entries);
		more.add(new Entry(List.copyOf(set), after, Long.MAX_VALUE, 0, 0, this.nextSequence));
		return new FilterSets(more, this.nextSequence + 1);
	}

	/**
	 * These sets but one, which is remembered with the ids it judged; the same when it is not followed.
	 * @param set the filters of the set to follow no more
	 * @param until the highest id judged while it was followed
	 */
	FilterSets without(List<EventFilter> set, long until) {
		List<Entry> changed = new ArrayList<>(this.entries.size());
		boolean found = false;
		for (Entry entry : this.entries) {
			if (entry.followed() && entry.filters().equals(set)) {
				found = true;
				changed.add(new Entry(entry.filters(), entry.after(), Math.max(entry.after(), until), 0, 0,
						entry.sequence()));
			}
			else {
				changed.add(entry);
			}
		}
		if (!found) {
			return this;
		}
		long removed = changed.stream().filter((entry) -> !entry.followed()).count();
		for (int i = 0; removed > MAX_REMOVED && i < changed.size(); i++) {
			if (!changed.get(i).followed()) {
				changed.remove(i--);
				removed--;
			}
		}
		return new FilterSets(changed, this.nextSequence);
	}

	/**
	 * These sets, with a removed set's history cut short: it had delivered its events up to {@code after}, and none
	 * above it up to {@code upTo}.
	 * @param set the filters of the removed set
	 * @param after the id its history had delivered up to
	 * @param upTo the last id its history was to deliver
	 */
	FilterSets undelivered(List<EventFilter> set, long after, long upTo) {
		List<Entry> changed = new ArrayList<>(this.entries.size());
		for (Entry entry : this.entries) {
			changed.add((!entry.followed() && entry.filters().equals(set)) ? new Entry(entry.filters(), entry.after(),
					entry.until(), after, upTo, entry.sequence()) : entry);
		}
		return new FilterSets(changed, this.nextSequence);
	}

	boolean contains(List<EventFilter> set) {
		return this.sets.contains(set);
	}

	/**
	 * The sets followed, in the order they were added.
	 */
	List<List<EventFilter>> sets() {
		return this.sets;
	}

	/**
	 * Whether any set followed passes the event, as far as the event's own fields can tell.
	 * @param event the event
	 */
	// Loops, not streams: this runs for every event on the socket reader's thread.
	boolean matches(ArvadosEvent event) {
		for (Entry entry : this.entries) {
			if (entry.followed() && event.id() > entry.after() && matchesAll(entry.filters(), event)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether a set added before the given one, followed now or not, passed the event when it judged it: the event
	 * was delivered then.
	 * @param event an event the stream judged
	 * @param set the set whose history asks
	 */
	boolean passedBefore(ArvadosEvent event, List<EventFilter> set) {
		long sequence = Long.MAX_VALUE;
		for (Entry entry : this.entries) {
			if (entry.followed() && entry.filters().equals(set)) {
				sequence = entry.sequence();
			}
		}
		for (Entry entry : this.entries) {
			if (entry.sequence() < sequence && entry.judged(event.id()) && matchesAll(entry.filters(), event)) {
				return true;
			}
		}
		return false;
	}

	static boolean matchesAll(List<EventFilter> set, ArvadosEvent event) {
		for (EventFilter filter : set) {
			if (!filter.matches(event)) {
				return false;
			}
		}
		return true;
	}

	/**
	 * The filters to ask the logs list with: those every set has, since the list takes one set only. The answer
	 * then holds every wanted event, and the client drops what no set passes.
	 * @return the filters, as {@link EventFilter#toArvados()} gives them
	 */
	List<List<Object>> listFilters() {
		List<EventFilter> common = new ArrayList<>(this.sets.isEmpty() ? List.of() : this.sets.get(0));
		for (List<EventFilter> set : this.sets) {
			common.retainAll(set);
		}
		return common.stream().map(EventFilter::toArvados).toList();
	}

	@Override
	public String toString() {
		return (this.sets.size() == 1) ? this.sets.get(0).toString() : this.sets.toString();
	}

}

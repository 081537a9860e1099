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
 */
final class FilterSets {

	/** A set, and the id it starts after. */
	private record Entry(List<EventFilter> filters, long after) {
	}

	private final List<Entry> entries;

	private final List<List<EventFilter>> sets;

	private FilterSets(List<Entry> entries) {
		this.entries = List.copyOf(entries);
		this.sets = this.entries.stream().map(Entry::filters).toList();
	}

	/**
	 * One set: the filters of {@code arvados.events.filters}, for every id.
	 * @param filters the filters, none for every event
	 */
	static FilterSets of(List<EventFilter> filters) {
		return new FilterSets(List.of(new Entry(List.copyOf(filters), Long.MIN_VALUE)));
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
		more.add(new Entry(List.copyOf(set), after));
		return new FilterSets(more);
	}

	/**
	 * These sets but one; the same when it is not here.
	 * @param set the filters of the set to leave out
	 */
	FilterSets without(List<EventFilter> set) {
		List<Entry> fewer = new ArrayList<>(this.entries);
		fewer.removeIf((entry) -> entry.filters().equals(set));
		return (fewer.size() == this.entries.size()) ? this : new FilterSets(fewer);
	}

	boolean contains(List<EventFilter> set) {
		return this.sets.contains(set);
	}

	/**
	 * The sets, in the order they were added.
	 */
	List<List<EventFilter>> sets() {
		return this.sets;
	}

	/**
	 * Whether any set passes the event, as far as the event's own fields can tell.
	 * @param event the event
	 */
	// Loops, not streams: this runs for every event on the socket reader's thread.
	boolean matches(ArvadosEvent event) {
		for (Entry entry : this.entries) {
			if (event.id() > entry.after() && matchesAll(entry.filters(), event)) {
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

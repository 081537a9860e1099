package org.arvados.events.decode;

import java.util.List;

import org.arvados.events.ArvadosEvent;

/**
 * One page of the logs list, in the order the server gave.
 *
 * @param events the items that are events (an item without an integer id is left out)
 * @param size how many items the server returned, left-out ones included: a page as long as the limit means
 * more may follow
 */
public record LogPage(List<ArvadosEvent> events, int size) {

	/**
	 * How many items were left out because they had no integer id.
	 */
	public int malformed() {
		return this.size - this.events.size();
	}

	/**
	 * The highest id on the page, or the given one when the page has none above it.
	 * @param floor the id asked to be after
	 * @return the id to page on from
	 */
	public long lastId(long floor) {
		long last = floor;
		for (ArvadosEvent event : this.events) {
			last = Math.max(last, event.id());
		}
		return last;
	}

}

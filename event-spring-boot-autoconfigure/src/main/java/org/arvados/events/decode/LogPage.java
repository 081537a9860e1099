package org.arvados.events.decode;

import java.util.List;

import org.arvados.events.ArvadosEvent;

/**
 * One page of the logs list, in the order the server gave.
 *
 * @param events the items that are events (an item that could not be decoded is left out)
 * @param size how many items the server returned, left-out ones included
 * @param limit the {@code limit} the server says it applied (it caps the one asked for at its
 * {@code API.MaxItemsPerResponse}, and may lower it further for large rows); 0 when the envelope does not say
 * @param skippedIds the ids of left-out items whose id could still be read, in page order: they will not come
 * again, so the reader marks them handled rather than leaving a gap
 */
public record LogPage(List<ArvadosEvent> events, int size, int limit, List<Long> skippedIds) {

	public LogPage {
		events = List.copyOf(events);
		skippedIds = List.copyOf(skippedIds);
	}

	/**
	 * How many items were left out: no integer id, or not decodable (too deeply nested, a name too long).
	 */
	public int malformed() {
		return this.size - this.events.size();
	}

	/**
	 * Whether more may follow: the page is as long as the limit the server applied, or, when it does not say,
	 * as the one asked for. A page cut by the server's own cap is full, not the end of the log.
	 * @param asked the {@code limit} asked for
	 * @return whether to ask for the next page at once
	 */
	public boolean isFull(int asked) {
		return this.size >= ((this.limit > 0) ? this.limit : asked);
	}

	/**
	 * The highest id on the page, skipped items included, or the given one when the page has none above it.
	 * @param floor the id asked to be after
	 * @return the id to page on from
	 */
	public long lastId(long floor) {
		long last = floor;
		for (ArvadosEvent event : this.events) {
			last = Math.max(last, event.id());
		}
		for (long id : this.skippedIds) {
			last = Math.max(last, id);
		}
		return last;
	}

}

package org.arvados.events.subscription;

import java.util.List;
import java.util.function.BooleanSupplier;

import org.arvados.events.filter.EventFilter;

/**
 * The filter sets added and removed while the stream runs, as the {@link StreamMachine} applies them on its
 * thread: it tells the connection, and reads the history a new set asked for.
 */
interface FilterChanges {

	/** No changes: for a machine driven by hand. */
	FilterChanges NONE = new FilterChanges() {

		@Override
		public List<List<EventFilter>> takeRemoved() {
			return List.of();
		}

		@Override
		public List<Added> apply() {
			return List.of();
		}

		@Override
		public boolean backfill(BooleanSupplier stillWanted) {
			return true;
		}

	};

	/**
	 * The sets removed since the last call, to unsubscribe from.
	 */
	List<List<EventFilter>> takeRemoved();

	/**
	 * Follow the sets asked for since the last call, once the position is known (else they wait).
	 * @return the sets now followed, to subscribe to
	 */
	List<Added> apply();

	/**
	 * Read the histories the new sets asked for, each from where it stands.
	 * @param stillWanted checked before each page and event
	 * @return whether every history was read to its end
	 * @throws RuntimeException if the logs list cannot be read; the histories go on at the next call
	 */
	boolean backfill(BooleanSupplier stillWanted);

	/**
	 * A set now followed.
	 *
	 * @param set the filters
	 * @param lastLogId the highest id accepted when it was added: the server replays what the set passes after it
	 */
	record Added(List<EventFilter> set, long lastLogId) {
	}

}

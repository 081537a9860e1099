package org.arvados.events.subscription;

import java.util.function.BooleanSupplier;

/**
 * The REST side of the stream as the {@link StreamMachine} uses it: the cluster's API and its logs list. Each
 * call blocks, and throws a {@link RuntimeException} when the API cannot be asked (a
 * {@link org.arvados.events.transport.TokenRejectedException} for 401 and 403, a
 * {@link org.arvados.events.transport.NotAnArvadosApiException} for a wrong endpoint).
 */
interface LogList {

	/**
	 * Check that the endpoint is an Arvados API and that it takes the token; and load the saved position, if the
	 * start could not.
	 */
	void verify();

	/**
	 * When no position is known yet, establish one: after the newest matching event ("from now on"), or, for a
	 * start from a time, before the oldest matching event created since then.
	 */
	void startFromNewest();

	/**
	 * The stream starts: its first catch-up reads the history.
	 */
	default void streamStarts() {
	}

	/**
	 * A catch-up (one pass or more, retries included) reached the newest event, and its events are queued for the
	 * handlers: say so when it was the history or took long.
	 * @param stillWanted whether the stream still runs
	 */
	default void caughtUp(BooleanSupplier stillWanted) {
	}

	/**
	 * Read the list from the position up to the newest event, handing each new event to the handlers.
	 * @param stillWanted checked before each page and event; the pass stops when it turns false
	 * @return whether the pass reached the newest event
	 */
	boolean catchUp(BooleanSupplier stillWanted);

	/**
	 * Ask only for the ids missing below the highest, and, when the WebSocket gave an id far above the highest,
	 * for every id above it.
	 * @param stillWanted checked before each page and event
	 */
	void fillGaps(BooleanSupplier stillWanted);

	/**
	 * Whether ids below the highest are missing, or one far above it waits for the list to confirm it.
	 */
	boolean hasOpenGaps();

	/**
	 * Where a (re)subscription resumes: the id up to which every event is handled or given up.
	 */
	long resumeAfter();

}

package org.arvados.events.subscription;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.arvados.events.ArvadosEvent;
import org.arvados.events.decode.LogPage;
import org.arvados.events.filter.EventFilter;
import org.arvados.events.transport.LogsClient;
import org.jspecify.annotations.Nullable;

/**
 * Reads the logs list from the resume position up to the newest event: the whole of a poll, and the catch-up
 * after every (re)subscription, which makes an outage of any length lose nothing.
 * <p>
 * Each pass starts after the low-water mark, so a late commit below ids already handled is still found (those
 * ids come again and are dropped as duplicates), and pages on from the last id of each full page, so a held gap
 * cannot make it fetch the same page forever. A page shorter than the limit ends the pass.
 */
final class LogCatchUp {

	private final LogsClient client;

	private final List<List<Object>> filters;

	private final int limit;

	private final EventIntake intake;

	// Set when "latest" found nothing to start after: events older than the window are not "new" either.
	private volatile @Nullable Instant createdSince;

	LogCatchUp(LogsClient client, List<EventFilter> filters, int limit, EventIntake intake) {
		this.client = client;
		this.filters = filters.stream().map(EventFilter::toArvados).toList();
		this.limit = limit;
		this.intake = intake;
	}

	/**
	 * Start "from now": after the newest matching event created within the window, or, when there is none,
	 * after 0 but only with events created within the window.
	 * @param windowStart the start of the window
	 */
	void startFromNewest(Instant windowStart) {
		Instant since = windowStart.truncatedTo(ChronoUnit.SECONDS);
		long newest = this.client.newestId(this.filters, since).orElse(0);
		if (newest == 0) {
			this.createdSince = since;
		}
		this.intake.startAfter(newest);
	}

	/**
	 * One pass: every page from the resume position until a short one.
	 * @param stillWanted checked before each page and event; the pass stops when it turns false
	 * @return whether the pass reached the newest event
	 * @throws RuntimeException if the list cannot be read (see {@link LogsClient})
	 */
	boolean run(BooleanSupplier stillWanted) {
		List<List<Object>> query = this.filters;
		Instant since = this.createdSince;
		if (since != null) {
			query = new ArrayList<>(query);
			query.add(List.of("created_at", ">=", since.toString()));
		}
		long after = this.intake.resumeAfter();
		while (stillWanted.getAsBoolean()) {
			LogPage page = this.client.after(query, after, this.limit);
			this.intake.skippedMalformed(page.malformed(), this.client);
			for (ArvadosEvent event : page.events()) {
				if (!stillWanted.getAsBoolean()) {
					return false;
				}
				this.intake.accept(event, stillWanted);
			}
			long last = page.lastId(after);
			if (page.size() < this.limit) {
				return true;
			}
			if (last == after) {
				throw new IllegalStateException("A full page of the logs list had no id after " + after);
			}
			after = last;
		}
		return false;
	}

}

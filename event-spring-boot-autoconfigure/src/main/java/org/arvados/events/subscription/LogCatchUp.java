package org.arvados.events.subscription;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import org.arvados.events.ArvadosEvent;
import org.arvados.events.checkpoint.ResumePosition;
import org.arvados.events.decode.LogPage;
import org.arvados.events.filter.EventFilter;
import org.arvados.events.transport.LogsClient;
import org.jspecify.annotations.Nullable;

/**
 * Reads the logs list from the resume position up to the newest event: the whole of a poll, and the catch-up
 * after every (re)subscription, which makes an outage of any length lose nothing.
 * <p>
 * A pass asks for what the {@link ResumePosition} does not have: each open gap below the highest id (a late
 * commit is found there), then everything above the highest id. Ids already handled are not asked for again,
 * so a gap held open by ids the server filters out costs one small query, not a re-read of everything since.
 * With many gaps it reads once from the low-water mark instead, dropping what it has seen. Each read pages on
 * from the last id of a full page; a page shorter than the limit the server applied (the envelope's
 * {@code limit}, which may be below {@code polling.limit}) ends it. The list is asked with the filters every
 * followed set has ({@link FilterSets#listFilters()}); it also reads the history of a set added at run time
 * ({@link Backfill}), with that set's own filters.
 */
final class LogCatchUp {

	/** More gaps than this are read in one sweep from the low-water mark rather than one query each. */
	private static final int MAX_GAP_QUERIES = 10;

	private final LogsClient client;

	private final int limit;

	private final EventIntake intake;

	LogCatchUp(LogsClient client, int limit, EventIntake intake) {
		this.client = client;
		this.limit = limit;
		this.intake = intake;
	}

	/**
	 * Start "from now": after the newest matching event created within the window (as the Python SDK does), or,
	 * when the filters match nothing there, after the newest event of any kind the token may read. Either is a
	 * real position that a checkpoint can keep: a quiet filter must not make the next start read the whole log.
	 * @param windowStart the start of the window
	 */
	void startFromNewest(Instant windowStart) {
		Instant since = windowStart.truncatedTo(ChronoUnit.SECONDS);
		OptionalLong newest = this.client.newestId(this.intake.filters().listFilters(), since);
		this.intake.startAfter(newest.isPresent() ? newest.getAsLong() : this.client.newestId(List.of(), Instant.EPOCH).orElse(0));
	}

	/**
	 * Move a position loaded from a checkpoint back to the cluster's newest event when its highest id is beyond it:
	 * ids the cluster has not given out yet (its database was restored from a backup) would count as duplicates
	 * when they come.
	 */
	void notBeyondNewest() {
		long newest = this.client.newestId(List.of(), Instant.EPOCH).orElse(0);
		if (this.intake.highestId() > newest) {
			this.intake.resumeAfterNewest(newest);
		}
	}

	/**
	 * Start from a time: before the oldest matching event created at or after it, so that the catch-up, which
	 * reads by id and is gap-free, delivers it and every later one. When none was created since, as
	 * {@link #startFromNewest}: after the newest event of any kind.
	 * @param since the time
	 */
	void startFromTime(Instant since) {
		OptionalLong oldest = this.client.oldestIdSince(this.intake.filters().listFilters(), since);
		this.intake.startAfter(oldest.isPresent() ? oldest.getAsLong() - 1
				: this.client.newestId(List.of(), Instant.EPOCH).orElse(0));
	}

	/**
	 * One pass: the open gaps, then every page after the highest id until a short one.
	 * @param stillWanted checked before each page and event; the pass stops when it turns false
	 * @return whether the pass reached the newest event
	 * @throws RuntimeException if the list cannot be read (see {@link LogsClient})
	 */
	boolean run(BooleanSupplier stillWanted) {
		long highest = this.intake.highestId();
		return fillGaps(stillWanted) && read(highest, null, stillWanted);
	}

	/**
	 * Ask only for the ids missing below the highest: what a live stream did not bring.
	 * @param stillWanted checked before each page and event
	 * @return whether every gap was asked for
	 * @throws RuntimeException if the list cannot be read
	 */
	boolean fillGaps(BooleanSupplier stillWanted) {
		long highest = this.intake.highestId();
		List<ResumePosition.Range> gaps = this.intake.openGapRanges(MAX_GAP_QUERIES + 1);
		if (gaps.size() > MAX_GAP_QUERIES) {
			return read(this.intake.resumeAfter(), highest, stillWanted);
		}
		for (ResumePosition.Range gap : gaps) {
			if (!read(gap.from() - 1, gap.to(), stillWanted)) {
				return false;
			}
		}
		return true;
	}

	// Every matching event with an id above 'after' (and up to 'upTo', when given), page by page.
	private boolean read(long after, @Nullable Long upTo, BooleanSupplier stillWanted) {
		long askedAt = this.intake.nanoTime();
		boolean done = read(this.intake.filters().listFilters(), after, upTo, stillWanted,
				(event) -> {
					this.intake.accept(event, stillWanted);
					return true;
				});
		if (done && upTo != null) {
			// Answered for every id asked: a gap still open there, and old enough, was rolled back.
			this.intake.giveUpGaps(after + 1, upTo, askedAt);
		}
		return done;
	}

	/**
	 * Read the history of a filter set added at run time, from where it stands; see {@link Backfill}.
	 * @param backfill the history
	 * @param stillWanted checked before each page and event; the read stops when it turns false
	 * @return whether it reached its end
	 * @throws RuntimeException if the list cannot be read; the history goes on from where it stopped
	 */
	boolean backfill(Backfill backfill, BooleanSupplier stillWanted) {
		List<List<Object>> filters = backfill.set().stream().map(EventFilter::toArvados).toList();
		return read(filters, backfill.after(), backfill.upTo(), stillWanted, (event) -> {
			if (!this.intake.backfill(event, backfill, stillWanted)) {
				return false;
			}
			backfill.handedOn(event.id());
			return true;
		});
	}

	// The events matching the filters with an id above 'after' (and up to 'upTo', when given), page by page, each
	// to the sink; false when stopped before the end.
	private boolean read(List<List<Object>> filters, long after, @Nullable Long upTo, BooleanSupplier stillWanted,
			Predicate<ArvadosEvent> sink) {
		List<List<Object>> query = new ArrayList<>(filters);
		if (upTo != null) {
			query.add(List.of("id", "<=", upTo));
		}
		long cursor = after;
		while (stillWanted.getAsBoolean()) {
			LogPage page = this.client.after(query, cursor, this.limit);
			this.intake.skipped(page.skippedIds(), page.malformed(), this.client);
			for (ArvadosEvent event : page.events()) {
				if (!stillWanted.getAsBoolean() || !sink.test(event)) {
					return false;
				}
			}
			long last = page.lastId(cursor);
			// The server caps the limit at its MaxItemsPerResponse (and lower for large rows) and says so: a page cut
			// there is full, not the end of the log.
			if (!page.isFull(this.limit)) {
				return true;
			}
			if (last == cursor) {
				throw new IllegalStateException("A full page of the logs list had no id after " + cursor);
			}
			cursor = last;
		}
		return false;
	}

}

package org.arvados.events.subscription;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongFunction;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.arvados.events.ArvadosEvent;
import org.arvados.events.LogSafe;
import org.arvados.events.checkpoint.Checkpoint;
import org.arvados.events.checkpoint.CheckpointStoreUnavailableException;
import org.arvados.events.checkpoint.CheckpointUnreadableException;
import org.arvados.events.checkpoint.EventCheckpointStore;
import org.arvados.events.checkpoint.ResumePosition;
import org.arvados.events.checkpoint.ResumePosition.Acceptance;
import org.arvados.events.decode.EventDecoder;
import org.arvados.events.decode.MalformedMessageException;
import org.arvados.events.decode.ServerMessage;
import org.arvados.events.dispatch.DispatchMode;
import org.arvados.events.dispatch.EventDispatcher;
import org.arvados.events.dispatch.EventHandlerErrorHandler;
import org.arvados.events.filter.EventFilter;
import org.arvados.events.lifecycle.StreamRole;
import org.arvados.events.transport.SecretRedactor;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Takes the server's messages in, from the socket reader's thread or from a catch-up through the logs list:
 * decodes them, drops ids already accepted, applies the filters the server ignores, and queues the rest for the
 * {@link EventDispatcher}, waiting while the queue is full. Moves the {@link ResumePosition} and saves the checkpoint once handlers are done.
 */
final class EventIntake {

	private static final Log logger = LogFactory.getLog(EventIntake.class);

	private static final Duration OFFER_WAIT = Duration.ofMillis(100);

	/** What an event meant for the source it came from. */
	enum Outcome {

		/** An event not seen before: the source is making progress. */
		NEW_EVENT,

		/** A duplicate. */
		NOTHING_NEW

	}

	private final ResumePosition position;

	/** Written under the judge monitor, so that each event is judged by the sets before or after a change. */
	private volatile FilterSets filters;

	/**
	 * Held while an event takes its place in the position and is judged by the filter sets, and while a change of
	 * the sets snapshots the position: the snapshot then tells which ids the sets before judged (see Backfill).
	 * Never held while waiting.
	 */
	private final Object judgeMonitor = new Object();

	private final CheckpointSaver checkpoints;

	private final EventDispatcher dispatcher;

	private final SecretRedactor redactor;

	private final EventDecoder decoder = new EventDecoder();

	private final Object producerMonitor = new Object();

	private final AtomicLong received = new AtomicLong();

	private final AtomicLong handled = new AtomicLong();

	/** Events queued for the handlers: new, and through the filters. Written under the producer monitor. */
	private volatile long queued;

	private final AtomicLong duplicates = new AtomicLong();

	private final AtomicLong malformed = new AtomicLong();

	private volatile boolean backPressured;

	private volatile boolean checkpointPending;

	/** Whether the position was loaded from a saved checkpoint (and not moved back since). */
	private volatile boolean fromCheckpoint;

	/** An id left for the list to confirm (see {@link #leaveToTheList}). */
	private volatile boolean listCheckPending;

	private volatile SubscriptionState.@Nullable LastEvent lastEvent;

	EventIntake(ResumePosition position, List<EventFilter> filters, EventCheckpointStore checkpointStore,
			int queueCapacity, long queueMaxChars, DispatchMode dispatchMode, int concurrency,
			ApplicationEventPublisher publisher,
			EventHandlerErrorHandler errorHandler, SecretRedactor redactor, Consumer<Throwable> onDispatcherDeath,
			Duration checkpointInterval, Consumer<String> onFenced, Consumer<ArvadosEvent> tap) {
		this.position = position;
		this.filters = FilterSets.of(filters);
		this.checkpoints = new CheckpointSaver(position, checkpointStore, checkpointInterval, redactor, onFenced);
		this.redactor = redactor;
		this.dispatcher = new EventDispatcher(queueCapacity, dispatchMode, concurrency, queueMaxChars, publisher,
				errorHandler, this::handled, onDispatcherDeath, tap);
		this.dispatcher.setOnLetGo(this::abandoned);
	}

	void loadPosition(StartFrom startFrom) {
		switch (startFrom.kind()) {
			case ID -> this.position.startAfter(startFrom.id() - 1);
			// A time, as the checkpoint, applies only when none is saved: a restart must not read the history again.
			case CHECKPOINT, TIME -> loadCheckpoint();
			case LATEST -> {
			}
		}
	}

	/**
	 * Load the position another instance may have moved: under a leader election, at every grant. What this
	 * instance knew is forgotten; the saved position is loaded (claiming the store's next lead term), and when none
	 * is saved, the start-from applies as at a first start.
	 */
	void loadSharedPosition() {
		this.position.clear();
		this.fromCheckpoint = false;
		loadCheckpoint();
	}

	/**
	 * This instance no longer leads: save nothing more, hand nothing more, drop what is queued.
	 * @return how many queued events were dropped
	 */
	int depose() {
		this.checkpoints.fence();
		List<ArvadosEvent> dropped = abandon(this.dispatcher::abandon);
		return dropped.size();
	}

	/**
	 * Drop what is queued, as the stop or the deposition that calls it says, and count what was dropped as not seen
	 * (see {@link #abandoned}). Under the producers' monitor: a socket reader that waited for room must not queue an
	 * event of the run just ended after the queue was emptied, for a later run to hand on.
	 * @param abandon drops the queue
	 * @return what was dropped
	 */
	List<ArvadosEvent> abandon(java.util.function.Supplier<List<ArvadosEvent>> abandon) {
		List<ArvadosEvent> dropped;
		synchronized (this.producerMonitor) {
			dropped = abandon.get();
		}
		abandoned(dropped);
		return dropped;
	}

	/**
	 * How long the oldest handled event not saved yet has waited for a save.
	 * @return nanoseconds; 0 when everything handled is saved
	 */
	long unsavedNanos() {
		return this.checkpoints.unsavedNanos();
	}

	// A checkpoint that cannot be read fails the start; a store that cannot be asked now is asked again before the
	// stream starts, on the back-off (a database that is down at start-up).
	private void loadCheckpoint() {
		try {
			this.fromCheckpoint = this.checkpoints.load();
			this.checkpointPending = false;
		}
		catch (CheckpointUnreadableException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			this.checkpointPending = true;
			logger.warn("Cannot load the saved Arvados events position yet (" + this.redactor.describe(ex)
					+ "); the stream waits for it");
		}
	}

	/**
	 * Load the saved position if the start could not.
	 * @throws CheckpointStoreUnavailableException if it still cannot be read
	 */
	void loadPendingCheckpoint() {
		if (this.checkpointPending) {
			try {
				this.fromCheckpoint = this.checkpoints.load();
			}
			catch (CheckpointUnreadableException ex) {
				throw ex;
			}
			catch (RuntimeException ex) {
				throw new CheckpointStoreUnavailableException("The checkpoint store cannot be read", ex);
			}
			this.checkpointPending = false;
			logger.info("Loaded the saved Arvados events position: resuming after id " + this.position.lowWaterMark());
		}
	}

	/** Save the position every checkpoint interval while it changes. */
	void startSaving() {
		this.checkpoints.start();
	}

	/**
	 * Start after the given id, unless a position is known already.
	 */
	void startAfter(long id) {
		if (!this.position.isStarted()) {
			this.position.startAfter(id);
			// Where "now" is, saved at once: a crash before the first interval must not make the next start "latest"
			// again, after the events that came meanwhile.
			this.checkpoints.changed();
			this.checkpoints.saveNow();
		}
	}

	/**
	 * Whether an id is further above the highest accepted than a source other than the list may move it.
	 * @param id an event's id
	 * @param maxJump how far above is plausible: a page of the list
	 * @return whether the list must confirm it first
	 */
	boolean isFarAhead(long id, long maxJump) {
		synchronized (this.judgeMonitor) {
			return this.position.isStarted() && id - this.position.highestId() > maxJump;
		}
	}

	/**
	 * An event was left for the list to confirm: the next sweep of the list reads every id above the highest.
	 * @param id its id
	 * @param maxJump what was judged too far
	 */
	void leaveToTheList(long id, long maxJump) {
		if (!this.listCheckPending) {
			this.listCheckPending = true;
			logger.warn("Event id " + id + " from the WebSocket is more than " + maxJump + " above the highest id so "
					+ "far (" + this.position.highestId() + "); the logs list is asked for it before it counts");
		}
	}

	/** A check of the list that did not finish: the next sweep tries again. */
	void leaveToTheList() {
		this.listCheckPending = true;
	}

	/**
	 * Whether an id was left for the list since the last {@link #takeListCheck()}.
	 */
	boolean isListCheckPending() {
		return this.listCheckPending;
	}

	/**
	 * Take the pending check of the list: the caller reads every id above the highest, or gives it back.
	 * @return whether one was pending
	 */
	boolean takeListCheck() {
		boolean pending = this.listCheckPending;
		this.listCheckPending = false;
		return pending;
	}

	/**
	 * Resume after the given id instead of the known position, whose highest id the cluster does not have.
	 * @param newest the cluster's newest id
	 */
	void resumeAfterNewest(long newest) {
		logger.warn("The saved Arvados events position (highest id " + this.position.highestId()
				+ ") is beyond the newest event of the cluster (id " + newest + "), as after a restore of its database "
				+ "from a backup; resuming after id " + newest);
		this.position.startAfter(newest);
		this.fromCheckpoint = false;
		this.checkpoints.changed();
		this.checkpoints.saveNow();
	}

	/**
	 * Whether the position was loaded from a saved checkpoint: one saved against another database may be ahead of
	 * the cluster.
	 */
	boolean isFromCheckpoint() {
		return this.fromCheckpoint;
	}

	/**
	 * Whether a position is known: an explicit start, a checkpoint, the newest id at start, or a first event.
	 */
	boolean isPositionKnown() {
		return this.position.isStarted();
	}

	/**
	 * Where a (re)subscription resumes: after the low-water mark; 0 when no position is known.
	 */
	long resumeAfter() {
		return this.position.lowWaterMark();
	}

	/**
	 * Decode one message from the server; a malformed one is counted, logged and given as {@code null}.
	 * @param text the message
	 * @param utf8 the UTF-8 it was decoded from, if kept
	 * @param source where it came from, for log lines
	 * @return the message, or {@code null}
	 */
	@Nullable ServerMessage decode(String text, byte @Nullable [] utf8, Object source) {
		try {
			return this.decoder.decode(text, utf8);
		}
		catch (MalformedMessageException ex) {
			this.malformed.incrementAndGet();
			logger.warn("Skipped a malformed message from " + source + ": "
					+ LogSafe.forLog(this.redactor.redact(ex.getMessage())));
			return null;
		}
	}

	/**
	 * Count the items of a list page that were not events; those whose id could be read take their place in the
	 * position as handled, so they neither hold the low-water mark nor are asked for again.
	 * @param ids the ids of the items skipped that had one
	 * @param count how many were skipped in all
	 * @param source where they came from, for log lines
	 */
	void skipped(List<Long> ids, int count, Object source) {
		if (count == 0) {
			return;
		}
		this.malformed.addAndGet(count);
		logger.warn("Skipped " + count + " list item(s) that could not be read from " + source
				+ (ids.isEmpty() ? "" : " (ids " + ids + ")"));
		synchronized (this.producerMonitor) {
			for (long id : ids) {
				if (this.position.accept(id) != Acceptance.DUPLICATE) {
					this.position.handled(id);
				}
			}
		}
		this.checkpoints.changed();
	}

	/**
	 * Take one event: drop it when its id was accepted already or the filters reject it, else queue it for the
	 * handlers, waiting for room. One source at a time: a catch-up must not overtake an event that a closing
	 * connection is still trying to queue, or it would count that event as a duplicate of one never handled.
	 * @param event the event
	 * @param stillCurrent whether its source is still wanted; when it turns false while waiting, the event is
	 * given back (its id counts as not seen, to be asked for again)
	 * @return {@link Outcome#NEW_EVENT} or {@link Outcome#NOTHING_NEW}
	 */
	Outcome accept(ArvadosEvent event, BooleanSupplier stillCurrent) {
		return accept(event, stillCurrent, false);
	}

	/**
	 * Take one event as {@link #accept(ArvadosEvent, BooleanSupplier)} does; in
	 * {@link DispatchMode#DIRECT direct} mode the handlers may get it on the caller's thread, after the producer
	 * monitor is let go (what is queued meanwhile waits for them).
	 * @param event the event
	 * @param stillCurrent whether its source is still wanted
	 * @param mayHandle whether the caller may run the handlers: the socket reader, not the stream's own thread
	 * @return {@link Outcome#NEW_EVENT} or {@link Outcome#NOTHING_NEW}
	 */
	Outcome accept(ArvadosEvent event, BooleanSupplier stillCurrent, boolean mayHandle) {
		synchronized (this.producerMonitor) {
			this.received.incrementAndGet();
			Acceptance acceptance;
			boolean wanted;
			synchronized (this.judgeMonitor) {
				acceptance = this.position.accept(event.id());
				wanted = this.filters.matches(event);
			}
			if (acceptance == Acceptance.DUPLICATE) {
				this.duplicates.incrementAndGet();
				return Outcome.NOTHING_NEW;
			}
			if (acceptance == Acceptance.LATE && wanted && logger.isDebugEnabled()) {
				logger.debug("Event " + event.id() + " arrived after higher ids (a later commit); delivering it");
			}
			if (!wanted) {
				this.position.handled(event.id());
				this.checkpoints.changed();
				return Outcome.NEW_EVENT;
			}
			if (mayHandle && this.dispatcher.tryClaim()) {
				this.queued++;
			}
			else {
				if (!queue(event, stillCurrent)) {
					this.position.release(event.id());
				}
				return Outcome.NEW_EVENT;
			}
		}
		// Claimed: handled here, outside the monitor, so that a handler's calls back into the subscription wait
		// for no producer. Reading pauses meanwhile, which is not silence on the socket.
		this.backPressured = true;
		try {
			this.dispatcher.handleClaimed(event);
		}
		finally {
			this.backPressured = false;
		}
		return Outcome.NEW_EVENT;
	}

	/**
	 * Queue a notice for the handlers' thread behind every event queued so far, waiting for room.
	 * @param notice makes the notice from how many events have been queued for the handlers until it
	 * @param stillWanted when it turns false while waiting, the notice is dropped
	 */
	void enqueueNotice(LongFunction<ApplicationEvent> notice, BooleanSupplier stillWanted) {
		synchronized (this.producerMonitor) {
			ApplicationEvent made = notice.apply(this.queued);
			try {
				while (!this.dispatcher.offerNotice(made, OFFER_WAIT)) {
					if (!stillWanted.getAsBoolean()) {
						return;
					}
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/**
	 * The filter sets followed now.
	 */
	FilterSets filters() {
		return this.filters;
	}

	/**
	 * Follow one more filter set: each event taken from here is judged by it too, if its id is above the one the
	 * set starts after.
	 * @param set the filters of the set
	 * @param after the set starts after this id, and its history after it is read up to the highest id accepted
	 * now; negative to start after that highest id, without a history
	 * @return that history, or {@code null} when there is none to read
	 */
	@Nullable Backfill addFilters(List<EventFilter> set, long after) {
		synchronized (this.judgeMonitor) {
			FilterSets before = this.filters;
			long upTo = this.position.highestId();
			this.filters = before.with(set, (after >= 0) ? after : upTo);
			if (before.contains(set) || after < 0 || after >= upTo) {
				return null;
			}
			return new Backfill(set, this::filters, after, upTo, this.position.openGapRanges(Integer.MAX_VALUE));
		}
	}

	/**
	 * Follow a filter set no more: events taken from here are not judged by it.
	 * @param set the filters of the set
	 */
	void removeFilters(List<EventFilter> set) {
		synchronized (this.judgeMonitor) {
			this.filters = this.filters.without(set, this.position.highestId());
		}
	}

	/**
	 * A removed set's history was not read to its end: what it had yet to deliver was not delivered by it.
	 * @param backfill the history, as far as it went
	 */
	void historyLeftUnread(Backfill backfill) {
		synchronized (this.judgeMonitor) {
			this.filters = this.filters.undelivered(backfill.set(), backfill.after(), backfill.upTo());
		}
	}

	/**
	 * Take one event of a filter set's history: deliver it when the sets before did not pass it, straight to the
	 * handlers when the stream had judged it then, else as any event.
	 * @param event an event the set passes
	 * @param backfill the history it belongs to
	 * @param stillWanted when it turns false while waiting for room, the event is given back
	 * @return whether it was handed on; {@code false} when given back (read it again)
	 */
	boolean backfill(ArvadosEvent event, Backfill backfill, BooleanSupplier stillWanted) {
		if (!FilterSets.matchesAll(backfill.set(), event) || backfill.passedBefore(event)) {
			return true;
		}
		if (!backfill.judgedBefore(event.id())) {
			accept(event, stillWanted);
			return stillWanted.getAsBoolean();
		}
		synchronized (this.producerMonitor) {
			this.received.incrementAndGet();
			return queue(event, stillWanted);
		}
	}

	// Under the producer monitor: queue for the handlers, waiting for room while the source is still wanted.
	private boolean queue(ArvadosEvent event, BooleanSupplier stillWanted) {
		this.backPressured = true;
		try {
			while (!this.dispatcher.offer(event, OFFER_WAIT)) {
				if (!stillWanted.getAsBoolean()) {
					return false;
				}
			}
			this.queued++;
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
		finally {
			this.backPressured = false;
		}
	}

	/**
	 * How many events have been queued for the handlers: new, and through the filters.
	 */
	long queued() {
		return this.queued;
	}

	private void handled(ArvadosEvent event) {
		this.position.handled(event.id());
		this.handled.incrementAndGet();
		this.lastEvent = new SubscriptionState.LastEvent(event.id(), event.eventAt());
		this.checkpoints.changed();
	}

	/**
	 * The highest id accepted: what is above it is new.
	 */
	long highestId() {
		return this.position.highestId();
	}

	/**
	 * Ids below the highest still missing, lowest first.
	 * @param max how many ranges at most
	 */
	List<ResumePosition.Range> openGapRanges(int max) {
		return this.position.openGapRanges(max);
	}

	/**
	 * Whether ids below the highest are still missing.
	 */
	boolean hasOpenGaps() {
		return this.position.openGaps() > 0;
	}

	/**
	 * Whether the reader is waiting for room in the queue: silence on the socket is then our doing.
	 */
	boolean isBackPressured() {
		return this.backPressured;
	}

	/**
	 * Now, on the ticker that measures gap ages: when a list query is sent.
	 */
	long nanoTime() {
		return this.position.nanoTime();
	}

	/**
	 * The list answered for the ids from one to another: give up the gaps there that were old enough when it was
	 * asked, and save the position they held back.
	 */
	void giveUpGaps(long from, long to, long askedAt) {
		int closed = this.position.giveUpGaps(from, to, askedAt);
		if (closed > 0) {
			if (logger.isDebugEnabled()) {
				logger.debug("Gave up " + closed + " gap(s) in the event ids between " + from + " and " + to
						+ ": the list does not have them after gaps.timeout");
			}
			this.checkpoints.changed();
		}
	}

	/**
	 * Save the position now, and no more every interval: after the drain on stop.
	 */
	/**
	 * Save the position once more, within a budget: after the drain on stop.
	 * @param budget how long the stop may spend saving
	 * @return what is saved, where the next start resumes; {@code null} when nothing was ever saved
	 */
	@Nullable Checkpoint saveCheckpoint(Duration budget) {
		return this.checkpoints.flush(budget);
	}

	/**
	 * Events that a stop or the gate let go (queued, or in handlers that did not return in time) count as not seen:
	 * their ids are gaps again, asked for at the next start, and none pins the position. Told more than once of an
	 * event, it releases it once.
	 * @param abandoned the events
	 */
	void abandoned(List<ArvadosEvent> abandoned) {
		for (ArvadosEvent event : abandoned) {
			this.position.release(event.id());
		}
		if (!abandoned.isEmpty()) {
			this.checkpoints.changed();
		}
	}

	EventDispatcher dispatcher() {
		return this.dispatcher;
	}

	/**
	 * The state as far as the intake knows it; the subscription adds how the stream is connected.
	 */
	SubscriptionState state(boolean running, @Nullable StreamRole role, StreamStatus status, long reconnects,
			long transportSwitches) {
		return new SubscriptionState(running, role, status.phase(), status.mode(), status.isFlowing(),
				status.notFlowingSince(), status.reason(), status.lastError(), this.lastEvent, this.position.highestId(),
				this.position.lowWaterMark(), this.position.openGaps(), this.position.closedGaps(),
				this.dispatcher.queueDepth(), new SubscriptionState.Counts(this.received.get(), this.handled.get(),
						this.duplicates.get(), this.malformed.get(), reconnects, transportSwitches));
	}

}

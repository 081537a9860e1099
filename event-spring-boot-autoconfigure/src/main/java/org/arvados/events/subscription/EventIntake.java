package org.arvados.events.subscription;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.arvados.events.ArvadosEvent;
import org.arvados.events.checkpoint.EventCheckpointStore;
import org.arvados.events.checkpoint.ResumePosition;
import org.arvados.events.checkpoint.ResumePosition.Acceptance;
import org.arvados.events.decode.EventDecoder;
import org.arvados.events.decode.MalformedMessageException;
import org.arvados.events.decode.ServerMessage;
import org.arvados.events.dispatch.EventDispatcher;
import org.arvados.events.dispatch.EventHandlerErrorHandler;
import org.arvados.events.filter.EventFilter;
import org.arvados.events.transport.SecretRedactor;

import org.springframework.context.ApplicationEventPublisher;

/**
 * Takes the server's messages in, on the socket reader's thread: decodes them, drops ids already accepted,
 * applies the filters the server ignores, and queues the rest for the {@link EventDispatcher}, waiting while
 * the queue is full. Moves the {@link ResumePosition} and saves the checkpoint once handlers are done.
 */
final class EventIntake {

	private static final Log logger = LogFactory.getLog(EventIntake.class);

	private static final Duration OFFER_WAIT = Duration.ofMillis(100);

	/** What a message meant for the connection it came on. */
	enum Outcome {

		/** The server confirmed the subscription. */
		SUBSCRIBED,

		/** An event not seen before: the connection is making progress. */
		NEW_EVENT,

		/** Anything else: a keepalive, a duplicate, a malformed or rejected message. */
		NOTHING_NEW

	}

	private final ResumePosition position;

	private final List<EventFilter> filters;

	private final EventCheckpointStore checkpointStore;

	private final EventDispatcher dispatcher;

	private final SecretRedactor redactor;

	private final EventDecoder decoder = new EventDecoder();

	private final Object checkpointMonitor = new Object();

	private final AtomicLong received = new AtomicLong();

	private final AtomicLong handled = new AtomicLong();

	private final AtomicLong duplicates = new AtomicLong();

	private final AtomicLong malformed = new AtomicLong();

	private volatile boolean backPressured;

	private long savedMark = -1;

	EventIntake(ResumePosition position, List<EventFilter> filters, EventCheckpointStore checkpointStore,
			int queueCapacity, ApplicationEventPublisher publisher, EventHandlerErrorHandler errorHandler,
			SecretRedactor redactor) {
		this.position = position;
		this.filters = filters;
		this.checkpointStore = checkpointStore;
		this.redactor = redactor;
		this.dispatcher = new EventDispatcher(queueCapacity, publisher, errorHandler, this::handled);
	}

	void loadPosition(StartFrom startFrom) {
		switch (startFrom.kind()) {
			case ID -> this.position.startAfter(startFrom.id() - 1);
			case CHECKPOINT -> this.checkpointStore.load().ifPresent(this.position::startAfter);
			case LATEST -> {
			}
		}
	}

	/**
	 * Start after the given id, unless a position is known already.
	 */
	void startAfter(long id) {
		if (!this.position.isStarted()) {
			this.position.startAfter(id);
		}
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
	 * Take one message.
	 * @param text the message
	 * @param source where it came from, for log lines
	 * @param stillCurrent whether its connection is still the one to read from; while waiting for room in the
	 * queue, an event is given back when this turns false
	 * @return what it meant
	 */
	Outcome receive(String text, Object source, BooleanSupplier stillCurrent) {
		ServerMessage message;
		try {
			message = this.decoder.decode(text);
		}
		catch (MalformedMessageException ex) {
			this.malformed.incrementAndGet();
			logger.warn("Skipped a malformed message from " + source + ": " + this.redactor.redact(ex.getMessage()));
			return Outcome.NOTHING_NEW;
		}
		if (message instanceof ServerMessage.Event event) {
			return accept(event.event(), stillCurrent);
		}
		if (message instanceof ServerMessage.Status status) {
			if (status.code() == 200) {
				return Outcome.SUBSCRIBED;
			}
			logger.error("The event server answered " + status.code() + " to the subscription with filters "
					+ this.filters + "; check arvados.events.filters");
		}
		return Outcome.NOTHING_NEW;
	}

	private Outcome accept(ArvadosEvent event, BooleanSupplier stillCurrent) {
		this.received.incrementAndGet();
		Acceptance acceptance = this.position.accept(event.id());
		if (acceptance == Acceptance.DUPLICATE) {
			this.duplicates.incrementAndGet();
			return Outcome.NOTHING_NEW;
		}
		if (acceptance == Acceptance.LATE && logger.isDebugEnabled()) {
			logger.debug("Event " + event.id() + " arrived after higher ids (a later commit); delivering it");
		}
		if (!matchesFilters(event)) {
			this.position.handled(event.id());
			return Outcome.NEW_EVENT;
		}
		this.backPressured = true;
		try {
			while (!this.dispatcher.offer(event, OFFER_WAIT)) {
				if (!stillCurrent.getAsBoolean()) {
					this.position.release(event.id());
					break;
				}
			}
		}
		catch (InterruptedException ex) {
			this.position.release(event.id());
			Thread.currentThread().interrupt();
		}
		finally {
			this.backPressured = false;
		}
		return Outcome.NEW_EVENT;
	}

	// A loop, not a stream: this runs for every event on the socket reader's thread.
	private boolean matchesFilters(ArvadosEvent event) {
		for (EventFilter filter : this.filters) {
			if (!filter.matches(event)) {
				return false;
			}
		}
		return true;
	}

	private void handled(ArvadosEvent event) {
		this.position.handled(event.id());
		this.handled.incrementAndGet();
		saveCheckpoint();
	}

	/**
	 * Whether the reader is waiting for room in the queue: silence on the socket is then our doing.
	 */
	boolean isBackPressured() {
		return this.backPressured;
	}

	/**
	 * Give up gaps older than the gap timeout, and save the position they held back.
	 */
	void closeExpiredGaps() {
		int closed = this.position.closeExpiredGaps();
		if (closed > 0 && logger.isDebugEnabled()) {
			logger.debug("Closed " + closed + " gap(s) in the event ids after gap-timeout");
		}
		saveCheckpoint();
	}

	void saveCheckpoint() {
		synchronized (this.checkpointMonitor) {
			long mark = this.position.lowWaterMark();
			if (!this.position.isStarted() || mark == this.savedMark) {
				return;
			}
			try {
				this.checkpointStore.save(mark);
				this.savedMark = mark;
			}
			catch (RuntimeException ex) {
				logger.warn("Cannot save the Arvados events checkpoint at id " + mark + ": " + ex.getMessage());
			}
		}
	}

	EventDispatcher dispatcher() {
		return this.dispatcher;
	}

	SubscriptionState state(boolean running, boolean connected, long reconnects) {
		return new SubscriptionState(running, connected, this.position.highestId(), this.position.lowWaterMark(),
				this.position.openGaps(), this.position.closedGaps(), this.dispatcher.queueDepth(),
				new SubscriptionState.Counts(this.received.get(), this.handled.get(), this.duplicates.get(),
						this.malformed.get(), reconnects));
	}

}

package org.arvados.events.subscription;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.arvados.events.LogSafe;
import org.arvados.events.filter.EventFilter;
import org.arvados.events.lifecycle.DisconnectReason;
import org.arvados.events.lifecycle.StreamPhase;
import org.arvados.events.lifecycle.TransportMode;
import org.arvados.events.subscription.LiveFeed.Link;
import org.arvados.events.subscription.StreamLoop.Timer;
import org.arvados.events.transport.NotAnArvadosApiException;
import org.arvados.events.transport.SecretRedactor;
import org.arvados.events.transport.TokenRejectedException;
import org.jspecify.annotations.Nullable;

/**
 * The life of the stream, in one place: verify the API and the token, connect, subscribe, catch up through the
 * logs list, go live; on a failure back off and start again; in {@link Transport#AUTO} poll while the WebSocket is
 * unavailable and try it again now and then. Its {@link StreamPhase phases} are drawn there.
 * <p>
 * Every method runs on the {@link StreamLoop}'s one thread: socket and timer threads only post {@link LiveFeed
 * signals} to it, so nothing here needs a lock. The hot path (socket reader → buffer or queue) never comes here.
 * Each change of phase goes through {@link #enter}, which logs it and has the {@link StreamStatus} publish it.
 */
final class StreamMachine implements LiveFeed.Signals {

	private static final Log logger = LogFactory.getLog(StreamMachine.class);

	/**
	 * The server answers a subscribe message at once, before any replay; a connection without an answer by then is
	 * given up (capped by the heartbeat timeout), or it would wait for ever while keepalives come.
	 */
	private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);

	private final SubscriptionSettings settings;

	private final LiveFeed feed;

	private final LogList log;

	private final FilterChanges filters;

	private final StreamStatus status;

	private final ReconnectBackOff backOff;

	private final FailurePolicy failures;

	/** {@link #ANSWER_TIMEOUT}, or the heartbeat timeout when shorter. */
	private final Duration answerTimeout;

	private final SecretRedactor redactor;

	private final Supplier<StreamLoop> loops;

	private volatile StreamLoop loop;

	private volatile boolean running;

	private TransportMode mode;

	private boolean verified;

	private boolean websocketRefused;

	private int failedAttempts;

	private @Nullable Link link;

	/** The connection whose subscription the server has not answered yet. */
	private @Nullable Link unanswered;

	private @Nullable Timer next;

	private @Nullable Timer trials;

	/** What stopped it for good, until a stop: kept for a resume after a pause. */
	private volatile @Nullable Failure failure;

	private volatile long reconnects;

	private volatile long switches;

	StreamMachine(SubscriptionSettings settings, LiveFeed feed, LogList log, FilterChanges filters,
			StreamStatus status, ReconnectBackOff backOff, SecretRedactor redactor, Supplier<StreamLoop> loops) {
		this.settings = settings;
		this.feed = feed;
		this.log = log;
		this.filters = filters;
		this.status = status;
		this.backOff = backOff;
		this.failures = new FailurePolicy(settings.endpoint(), backOff, settings.websocketRetryInterval(), redactor);
		this.answerTimeout = (settings.heartbeatTimeout().compareTo(ANSWER_TIMEOUT) < 0) ? settings.heartbeatTimeout()
				: ANSWER_TIMEOUT;
		this.redactor = redactor;
		this.loops = loops;
		this.loop = StreamLoop.STOPPED;
		this.mode = initialMode();
	}

	// ---- From the lifecycle: start and stop.

	void start() {
		Failure failed = this.failure;
		if (failed != null) {
			// Reported while paused, when no loop ran to take it: a resume does not follow a stream it must not.
			this.status.changed(this.status.phase(), StreamPhase.FAILED, this.mode, failed.reason(), failed.cause());
			return;
		}
		this.loop = new GuardedLoop(this.loops.get(), this::crashed);
		this.running = true;
		this.mode = initialMode();
		this.verified = false;
		this.websocketRefused = false;
		this.failedAttempts = 0;
		this.trials = null;
		this.unanswered = null;
		this.status.starting(this.mode);
		this.log.streamStarts();
		Duration watch = Duration.ofMillis(Math.max(10, Math.min(1000, this.settings.heartbeatTimeout().toMillis() / 4)));
		this.loop.scheduleWithFixedDelay(this::watch, watch);
		// Gaps are given up only by the list, asked for them every poll interval (see LogCatchUp).
		this.loop.scheduleWithFixedDelay(this::fillGaps, this.settings.pollInterval());
		this.loop.scheduleWithFixedDelay(this::checkToken, this.settings.tokenCheckInterval());
		this.loop.execute(this::verify);
	}

	/** Stop at once: nothing runs on the loop any more, a blocking request is interrupted. */
	void stop() {
		stop(StreamPhase.STOPPED);
	}

	/**
	 * Stop at once, as {@link #stop()}, into the given phase; {@link #start()} goes on from the position.
	 * @param to {@link StreamPhase#STOPPED}, or {@link StreamPhase#PAUSED} when the application pauses
	 */
	void stop(StreamPhase to) {
		if (to == StreamPhase.STOPPED) {
			this.failure = null;
		}
		this.running = false;
		this.loop.shutdown();
		this.feed.close();
		this.status.changed(this.status.phase(), to, this.mode, null, null);
	}

	/**
	 * Stop for good, for a reason only a person can fix: the dispatching thread died, or another instance saved a
	 * newer position.
	 * @param reason why
	 * @param cause for people
	 */
	void fail(DisconnectReason reason, String cause) {
		this.failure = new Failure(reason, cause);
		this.loop.execute(() -> {
			this.feed.close();
			enter(StreamPhase.FAILED, reason, cause);
			this.running = false;
			this.loop.shutdown();
		});
	}

	// ---- Verify, then connect or poll.

	private void verify() {
		enter(StreamPhase.VERIFYING, null, null);
		try {
			this.log.verify();
		}
		catch (RuntimeException ex) {
			failed(ex, this::verify);
			return;
		}
		this.verified = true;
		if (this.status.verified()) {
			logger.info("The API of " + this.settings.endpoint() + " takes the token again; resuming");
		}
		if (this.mode == TransportMode.POLLING) {
			poll();
		}
		else {
			connect();
		}
	}

	private void connect() {
		if (!this.verified) {
			verify();
			return;
		}
		try {
			this.log.startFromNewest();
		}
		catch (TokenRejectedException | NotAnArvadosApiException ex) {
			failed(ex, this::connect);
			return;
		}
		catch (RuntimeException ex) {
			if (!this.running) {
				return;
			}
			if (this.settings.startFrom().kind() == StartFrom.Kind.TIME) {
				// The history is in the list only: without it, a start from a time would quietly skip it.
				failed(ex, this::connect);
				return;
			}
			// The WebSocket may work while the list does not: stream, and count from the first event.
			logger.warn("Cannot ask " + this.settings.endpoint() + " for the newest event id ("
					+ this.redactor.describe(ex) + "); new events count from the first one that arrives");
		}
		enter(StreamPhase.CONNECTING, null, null);
		this.feed.connect();
	}

	@Override
	public void opened(Link opened) {
		this.loop.execute(() -> {
			if (!this.feed.isCurrent(opened)) {
				return;
			}
			this.link = opened;
			if (this.status.phase() == StreamPhase.CONNECTING) {
				enter(StreamPhase.SUBSCRIBING, null, null);
			}
			this.unanswered = opened;
			this.feed.subscribe(opened);
			this.loop.schedule(() -> answerTimedOut(opened), this.answerTimeout);
		});
	}

	private void answerTimedOut(Link subscribing) {
		if (this.unanswered == subscribing && this.feed.isCurrent(subscribing)) {
			this.unanswered = null;
			this.feed.close();
			unavailable(DisconnectReason.SILENT, "No answer to the subscription from " + subscribing + " within "
					+ this.answerTimeout.toMillis() + " ms, so the connection is presumed dead");
		}
	}

	@Override
	public void subscribed(Link subscribed) {
		this.loop.execute(() -> {
			if (this.unanswered == subscribed) {
				this.unanswered = null;
			}
			if (this.feed.isCurrent(subscribed)) {
				if (this.status.phase() == StreamPhase.SUBSCRIBING) {
					enter(StreamPhase.CATCHING_UP, null, null);
				}
				catchUp(subscribed);
			}
		});
	}

	// Read the list while the live events wait, hand those over, stream. Again while the buffer overflowed.
	private void catchUp(Link current) {
		if (!this.feed.isCurrent(current)) {
			return;
		}
		if (!trying()) {
			enter(StreamPhase.CATCHING_UP, null, null);
		}
		try {
			this.feed.takeOverflow(current);
			do {
				if (!this.log.catchUp(() -> this.running && this.feed.isCurrent(current))) {
					return;
				}
			}
			while (this.feed.takeOverflow(current) || !this.feed.release(current));
			this.log.caughtUp(() -> this.running);
		}
		catch (RuntimeException ex) {
			if (trying()) {
				trialFailed("its catch-up failed: " + this.redactor.describe(ex));
			}
			else if (this.running) {
				failed(ex, () -> catchUp(current));
			}
			return;
		}
		this.failedAttempts = 0;
		this.backOff.progressed();
		if (this.mode == TransportMode.POLLING) {
			cancel(this.trials);
			this.trials = null;
			switchTo(TransportMode.WEBSOCKET, "the WebSocket works again");
		}
		logger.info("Streaming from " + current + " after id " + this.log.resumeAfter());
		enter(StreamPhase.LIVE, null, null);
		changeFilters();
	}

	@Override
	public void rejected(Link rejecting, String reason) {
		this.loop.execute(() -> {
			if (this.unanswered == rejecting) {
				this.unanswered = null;
			}
			if (!this.feed.isCurrent(rejecting)) {
				return;
			}
			if (this.settings.transport() != Transport.AUTO) {
				// 'websocket' only: it will not work, and says so in an ERROR; ask again rarely.
				this.feed.close();
				this.link = null;
				backOff(this.failures.of(DisconnectReason.SUBSCRIPTION_REJECTED, reason), this::connect);
				return;
			}
			this.websocketRefused = true;
			cancel(this.trials);
			this.trials = null;
			if (this.mode == TransportMode.POLLING) {
				this.feed.close();
				this.link = null;
				enter(StreamPhase.POLLING, null, null);
			}
			else {
				switchTo(TransportMode.POLLING, reason);
				poll();
			}
		});
	}

	@Override
	public void unavailable(DisconnectReason reason, String description) {
		this.loop.execute(() -> {
			this.link = null;
			if (trying()) {
				trialFailed(description);
				return;
			}
			if (this.mode != TransportMode.WEBSOCKET || !this.running) {
				return;
			}
			this.failedAttempts++;
			if (this.settings.transport() == Transport.AUTO
					&& (reason == DisconnectReason.NO_WEBSOCKET || this.failedAttempts >= this.settings.websocketAttempts())) {
				switchTo(TransportMode.POLLING, description);
				enter(StreamPhase.CATCHING_UP, reason, description);
				poll();
				return;
			}
			this.reconnects++;
			backOff(this.failures.of(reason, description), this::connect);
		});
	}

	// ---- Polling, and the WebSocket on trial while polling.

	private void poll() {
		if (!this.running || this.mode != TransportMode.POLLING) {
			return;
		}
		if (!this.verified) {
			verify();
			return;
		}
		if (!this.status.isFlowing()) {
			enter(StreamPhase.CATCHING_UP, null, null);
		}
		try {
			this.log.startFromNewest();
			if (!this.log.catchUp(() -> this.running && this.mode == TransportMode.POLLING)) {
				return;
			}
			this.log.caughtUp(() -> this.running);
		}
		catch (RuntimeException ex) {
			if (trying()) {
				this.feed.close();
				this.link = null;
			}
			failed(ex, this::poll);
			return;
		}
		this.backOff.progressed();
		changeFilters();
		if (!this.status.isFlowing()) {
			enter(StreamPhase.POLLING, null, null);
			if (this.settings.transport() == Transport.AUTO && !this.websocketRefused && this.trials == null) {
				this.trials = this.loop.scheduleWithFixedDelay(this::tryWebSocket, this.settings.websocketRetryInterval());
			}
		}
		this.next = this.loop.schedule(this::poll, this.settings.pollInterval());
	}

	private void tryWebSocket() {
		if (this.status.phase() == StreamPhase.POLLING && !this.websocketRefused) {
			enter(StreamPhase.TRYING_WEBSOCKET, null, null);
			this.feed.connect();
		}
	}

	private void trialFailed(String description) {
		logger.debug("The WebSocket is still unavailable (" + LogSafe.forLog(description) + "); polling goes on");
		this.feed.close();
		this.link = null;
		enter(StreamPhase.POLLING, null, null);
	}

	private boolean trying() {
		return this.status.phase() == StreamPhase.TRYING_WEBSOCKET;
	}

	private void switchTo(TransportMode to, String reason) {
		TransportMode from = this.mode;
		if (to == TransportMode.POLLING) {
			this.feed.close();
			this.link = null;
		}
		else {
			cancel(this.next);
		}
		this.mode = to;
		this.switches++;
		this.failedAttempts = 0;
		logger.info("Switched from " + from.name().toLowerCase() + " to " + to.name().toLowerCase()
				+ " for Arvados events from " + this.settings.endpoint() + ": " + LogSafe.forLog(reason));
		this.status.switched(from, to, reason);
	}

	// ---- Filter sets added and removed by the application.

	/**
	 * The application added or removed a filter set: tell the connection, and read the history a new set asked
	 * for (on a failure, again every poll interval).
	 */
	void filtersChanged() {
		this.loop.execute(this::changeFilters);
	}

	private void changeFilters() {
		if (!this.running) {
			return;
		}
		Link current = this.link;
		for (List<EventFilter> set : this.filters.takeRemoved()) {
			if (current != null) {
				this.feed.unsubscribe(current, set);
			}
		}
		for (FilterChanges.Added added : this.filters.apply()) {
			if (current != null) {
				this.feed.subscribe(current, added.set(), added.lastLogId());
			}
		}
		try {
			this.filters.backfill(() -> this.running);
		}
		catch (RuntimeException ex) {
			if (this.running) {
				logger.warn("Cannot read the history of a new filter set from the logs list of "
						+ this.settings.endpoint() + " (" + this.redactor.describe(ex) + "); trying again in "
						+ this.settings.pollInterval().toMillis() + " ms");
			}
		}
	}

	// ---- Timers: gaps and silence.

	// On the WebSocket, an id the server never sent leaves a gap (a permission check failed, or the server lost
	// it): ask the list for the missing ids every poll interval. Histories of new filter sets go on then too.
	private void fillGaps() {
		if (this.status.phase() == StreamPhase.LIVE) {
			changeFilters();
		}
		if (this.status.phase() != StreamPhase.LIVE || !this.log.hasOpenGaps()) {
			return;
		}
		try {
			this.log.fillGaps(() -> this.running && this.status.phase() == StreamPhase.LIVE);
		}
		catch (TokenRejectedException ex) {
			failed(ex, this::verify);
		}
		catch (RuntimeException ex) {
			if (this.running) {
				logger.warn("Cannot look up missing event ids in the logs list of " + this.settings.endpoint() + " ("
						+ this.redactor.describe(ex) + "); trying again in " + this.settings.pollInterval().toMillis()
						+ " ms");
			}
		}
	}

	// The event server keeps a connection whose token was revoked, keepalives and all, and sends it no more events:
	// without a gap to ask the list about, nothing else would notice. Polling asks the list with the token anyway.
	private void checkToken() {
		if (this.status.phase() != StreamPhase.LIVE) {
			return;
		}
		try {
			this.log.verify();
		}
		catch (TokenRejectedException | NotAnArvadosApiException ex) {
			failed(ex, this::verify);
		}
		catch (RuntimeException ex) {
			// The API cannot be asked now: the connection still works; ask again at the next check.
			logger.debug("Cannot check the token with the API of " + this.settings.endpoint() + " ("
					+ this.redactor.describe(ex) + "); the stream goes on");
		}
	}

	private void watch() {
		if (this.link == null) {
			return;
		}
		String silence = this.feed.silence();
		if (silence != null) {
			this.feed.close();
			unavailable(DisconnectReason.SILENT, silence);
		}
	}

	// ---- Failures.

	// What no task expected, an Error included: said once at ERROR, then the whole cycle again after a back-off.
	private void crashed(Throwable failure) {
		if (this.running) {
			backOff(this.failures.unexpected(failure), this::verify);
		}
	}

	private void failed(RuntimeException ex, Runnable retry) {
		if (this.running) { // else stopping interrupted the request
			backOff(this.failures.of(ex, this.status.phase() == StreamPhase.VERIFYING), retry);
		}
	}

	// Say it, wait, try again: after a rejected token or a wrong endpoint, from the check of the API.
	private void backOff(FailurePolicy.Decision failure, Runnable retry) {
		Runnable next = retry;
		if (failure.verifyFirst()) {
			this.verified = false;
			this.feed.close();
			this.link = null;
			next = this::verify;
		}
		this.failures.report(failure, this.status.reason());
		enter(StreamPhase.BACKING_OFF, failure.reason(), failure.description());
		cancel(this.next);
		this.next = this.loop.schedule(next, failure.delay());
	}

	// ---- Phases.

	private void enter(StreamPhase to, @Nullable DisconnectReason reason, @Nullable String cause) {
		StreamPhase from = this.status.phase();
		if (!this.running || (from == to && reason == null)) {
			return;
		}
		if (logger.isDebugEnabled()) {
			logger.debug("Arvados events " + from + " -> " + to + " over " + this.mode.name().toLowerCase()
					+ ((cause != null) ? ": " + LogSafe.forLog(cause) : ""));
		}
		this.status.changed(from, to, this.mode, reason, cause);
	}

	private TransportMode initialMode() {
		return (this.settings.transport() == Transport.POLLING) ? TransportMode.POLLING : TransportMode.WEBSOCKET;
	}

	private static void cancel(@Nullable Timer timer) {
		if (timer != null) {
			timer.cancel();
		}
	}

	long reconnects() {
		return this.reconnects;
	}

	long switches() {
		return this.switches;
	}

	@Override
	public String toString() {
		return "StreamMachine[" + this.settings.endpoint() + "]";
	}

	private record Failure(DisconnectReason reason, String cause) {
	}

}

package org.arvados.events.subscription;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.arvados.events.ArvadosEvent;
import org.arvados.events.checkpoint.EventCheckpointStore;
import org.arvados.events.checkpoint.ResumePosition;
import org.arvados.events.dispatch.EventHandlerErrorHandler;
import org.arvados.events.lifecycle.ArvadosStreamEvent;
import org.arvados.events.lifecycle.StreamConnectedEvent;
import org.arvados.events.lifecycle.StreamDisconnectedEvent;
import org.arvados.events.lifecycle.SubscriptionStartedEvent;
import org.arvados.events.lifecycle.SubscriptionStoppedEvent;
import org.arvados.events.lifecycle.TransportMode;
import org.arvados.events.lifecycle.TransportSwitchedEvent;
import org.arvados.events.subscription.WebSocketFeed.Link;
import org.arvados.events.transport.LogsClient;
import org.arvados.events.transport.SecretRedactor;
import org.arvados.events.transport.TokenRejectedException;
import org.arvados.events.transport.WebSocketTransport;
import org.arvados.events.transport.WebSocketUrlResolver;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;

/**
 * The managed subscription to the cluster's events. Started last and stopped first among the application's
 * lifecycle beans, so every handler is registered before the first event and the web server outlives it.
 * <p>
 * Over WebSocket it subscribes with {@code last_log_id} = the {@link ResumePosition resume position}, holds the
 * live events while it catches up through the logs list from that position, then streams; it reconnects with
 * back-off after any close it did not ask for and after {@code heartbeat-timeout} of silence (the server sends
 * {@code {}} every minute, so silence means a dead or half-open connection). When the WebSocket is unavailable
 * ({@link Transport#AUTO}), or never wanted ({@link Transport#POLLING}), it polls the logs list instead, and in
 * {@code AUTO} tries the WebSocket again now and then. Each hand-over starts at the resume position, so nothing
 * is lost or repeated. Stopping closes with 1000, lets the queued events reach their handlers, and always runs
 * the callback.
 * <p>
 * Connecting, catching up and polling run on one thread, one step at a time; the socket reader only decodes,
 * holds or queues.
 */
public class ArvadosEventSubscription implements SmartLifecycle, DisposableBean {

	private static final Log logger = LogFactory.getLog(ArvadosEventSubscription.class);

	/** A rejected token stays rejected until someone changes it: ask again, but rarely. */
	private static final Duration TOKEN_REJECTED_RETRY = Duration.ofMinutes(1);

	private final SubscriptionSettings settings;

	private final EventIntake intake;

	private final LogCatchUp catchUp;

	private final ApplicationEventPublisher publisher;

	private final ReconnectBackOff backOff;

	private final SecretRedactor redactor;

	private final WebSocketFeed feed;

	private final Object lifecycleMonitor = new Object();

	private final AtomicBoolean reconnectScheduled = new AtomicBoolean();

	private final AtomicInteger failedAttempts = new AtomicInteger();

	private final AtomicLong reconnects = new AtomicLong();

	private final AtomicLong switches = new AtomicLong();

	private volatile boolean running;

	private boolean positionLoaded;

	private volatile TransportMode mode;

	private volatile boolean streaming;

	private volatile @Nullable Instant notStreamingSince = Instant.now();

	private volatile @Nullable String lastError;

	private volatile boolean tokenRejected;

	private @Nullable ScheduledExecutorService worker;

	private @Nullable ScheduledExecutorService watchdog;

	private @Nullable Future<?> pollTask;

	private @Nullable Future<?> webSocketRetryTask;

	public ArvadosEventSubscription(SubscriptionSettings settings, WebSocketTransport webSocket,
			WebSocketUrlResolver urlResolver, LogsClient logsClient, EventCheckpointStore checkpointStore,
			ResumePosition position, int queueCapacity, ApplicationEventPublisher publisher,
			EventHandlerErrorHandler errorHandler) {
		this.settings = settings;
		this.publisher = publisher;
		this.redactor = new SecretRedactor(settings.token());
		this.intake = new EventIntake(position, settings.filters(), checkpointStore, queueCapacity, publisher,
				errorHandler, this.redactor);
		this.catchUp = new LogCatchUp(logsClient, settings.filters(), settings.pollLimit(), this.intake);
		this.backOff = new ReconnectBackOff(settings.reconnectBackOff());
		this.feed = new WebSocketFeed(settings, webSocket, urlResolver, this.intake, this.redactor,
				Math.max(1024, 4 * queueCapacity), () -> this.running, new FeedEvents());
		this.mode = (settings.transport() == Transport.POLLING) ? TransportMode.POLLING : TransportMode.WEBSOCKET;
	}

	@Override
	public void start() {
		synchronized (this.lifecycleMonitor) {
			if (this.running) {
				return;
			}
			if (!this.positionLoaded) {
				this.intake.loadPosition(this.settings.startFrom());
				this.positionLoaded = true;
			}
			if (this.settings.transport() != Transport.POLLING) {
				this.feed.checkSubscribeSize();
			}
			this.intake.dispatcher().start();
			ScheduledExecutorService worker = singleThread("arvados-events");
			ScheduledExecutorService watchdog = singleThread("arvados-events-watchdog");
			this.worker = worker;
			this.watchdog = watchdog;
			this.running = true;
			this.notStreamingSince = Instant.now();
			long tick = Math.max(10, Math.min(1000, this.settings.heartbeatTimeout().toMillis() / 4));
			worker.execute((this.mode == TransportMode.POLLING) ? this::poll : this::connect);
			long fill = this.settings.pollInterval().toMillis();
			worker.scheduleWithFixedDelay(this::fillGaps, fill, fill, TimeUnit.MILLISECONDS);
			watchdog.scheduleWithFixedDelay(this::tick, tick, tick, TimeUnit.MILLISECONDS);
			logger.info("Following Arvados events from " + this.settings.endpoint() + " over "
					+ this.mode.name().toLowerCase() + " ("
					+ (this.intake.isPositionKnown() ? "resuming after id " + this.intake.resumeAfter()
							: "new events only")
					+ ")");
			publish(new SubscriptionStartedEvent(this, this.mode));
		}
	}

	@Override
	public void stop(Runnable callback) {
		synchronized (this.lifecycleMonitor) {
			if (!this.running) {
				callback.run();
				return;
			}
			this.running = false;
			this.streaming = false;
			this.notStreamingSince = Instant.now();
			for (ScheduledExecutorService executor : new ScheduledExecutorService[] { this.worker, this.watchdog }) {
				if (executor != null) {
					executor.shutdownNow();
				}
			}
			this.feed.close();
			this.intake.dispatcher().stop(() -> {
				this.intake.saveCheckpoint();
				logger.info("Stopped following Arvados events at id " + this.intake.resumeAfter());
				publish(new SubscriptionStoppedEvent(this, this.intake.resumeAfter()));
				callback.run();
			});
		}
	}

	@Override
	public void stop() {
		CountDownLatch stopped = new CountDownLatch(1);
		stop(stopped::countDown);
		try {
			stopped.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	// Runs after the lifecycle processor gave up waiting for the drain (abandon what is still queued), or
	// when the context failed to start after this bean had started (nothing stopped it then).
	@Override
	public void destroy() {
		stop(() -> {
		});
		this.intake.dispatcher().stopNow();
	}

	/**
	 * A snapshot of the subscription's state, for health and tests; reads no I/O.
	 */
	public SubscriptionState state() {
		return this.intake.state(this.running, this.mode, this.streaming, this.notStreamingSince, this.tokenRejected,
				this.lastError, this.reconnects.get(), this.switches.get());
	}

	// ---- WebSocket: connect, catch up, stream. On the worker.

	private void connect() {
		this.reconnectScheduled.set(false);
		if (!this.running) {
			return;
		}
		if (this.mode == TransportMode.WEBSOCKET) {
			try {
				ensureStartingPoint();
			}
			catch (RuntimeException ex) {
				logger.warn("Cannot ask " + this.settings.endpoint() + " for the newest event id ("
						+ this.redactor.describe(ex) + "); new events count from the first one that arrives");
			}
		}
		this.feed.connect();
	}

	// "From now on" needs a position before the first connection or poll, or one that drops before its first
	// event would resume without a position and lose what happened meanwhile.
	private void ensureStartingPoint() {
		if (!this.intake.isPositionKnown()) {
			this.catchUp.startFromNewest(Instant.now().minus(this.settings.pollInitialWindow()));
			logger.debug("Starting after event id " + this.intake.resumeAfter());
		}
	}

	private void webSocketUnavailable(String reason, boolean permanently) {
		if (!this.running) {
			return;
		}
		if (this.mode == TransportMode.POLLING) {
			logger.debug("The WebSocket is still unavailable (" + reason + "); polling goes on");
			return;
		}
		this.lastError = reason;
		streaming(false, reason);
		int failures = this.failedAttempts.incrementAndGet();
		if (this.settings.transport() == Transport.AUTO
				&& (permanently || failures >= this.settings.websocketAttempts())) {
			switchTo(TransportMode.POLLING, reason);
		}
		else {
			retryLater(reason);
		}
	}

	// The filters make a subscribe message the server cannot read, which will not change by trying again: 'auto'
	// polls for good (the list takes long filters in a form body); 'websocket' has said why in an ERROR.
	private void subscriptionRejected(Link link, String reason) {
		if (this.settings.transport() != Transport.AUTO || !this.feed.isCurrent(link)) {
			return;
		}
		this.feed.close();
		switchTo(TransportMode.POLLING, reason);
		cancel(this.webSocketRetryTask);
	}

	// The server confirmed the subscription: everything from the resume position on now comes live or from the
	// list. Read the list first (the live events wait in the buffer), then the held events, then stream.
	private void catchUpAndStream(Link current) {
		if (!this.feed.isCurrent(current)) {
			return;
		}
		try {
			current.buffer().takeOverflow();
			do {
				if (this.intake.isPositionKnown() && !this.catchUp.run(() -> this.feed.isCurrent(current))) {
					return;
				}
			}
			while (current.buffer().takeOverflow());
		}
		catch (RuntimeException ex) {
			if (!this.running) {
				return; // stopping interrupted the request
			}
			long delay = listFailed(ex, "catch up on " + current.connection());
			streaming(false, this.lastError);
			schedule(() -> catchUpAndStream(current), delay);
			return;
		}
		for (ArvadosEvent held = current.buffer().next(); held != null; held = current.buffer().next()) {
			this.intake.accept(held, () -> this.feed.isCurrent(current));
		}
		if (!this.feed.isCurrent(current)) {
			return;
		}
		this.failedAttempts.set(0);
		this.backOff.progressed();
		this.tokenRejected = false;
		logger.info("Streaming from " + current.connection() + " after id " + this.intake.resumeAfter());
		if (this.mode == TransportMode.POLLING) {
			switchTo(TransportMode.WEBSOCKET, "the WebSocket works again");
		}
		streaming(true, "caught up");
	}

	// On the WebSocket, an id the server never sent leaves a gap: its permission check failed (a token revoked for
	// a while), or it was lost between the database and the server. The list has it if the token may read it.
	// Every poll interval while gaps are open, read the list from the low-water mark; what was seen is dropped.
	private void fillGaps() {
		if (!this.running || this.mode != TransportMode.WEBSOCKET || !this.streaming || !this.intake.hasOpenGaps()) {
			return;
		}
		try {
			this.catchUp.run(() -> this.running && this.mode == TransportMode.WEBSOCKET);
			this.tokenRejected = false;
		}
		catch (RuntimeException ex) {
			if (this.running) {
				logger.warn(listFailure(ex, "look up missing event ids") + "; trying again in "
						+ this.settings.pollInterval().toMillis() + " ms");
			}
		}
	}

	private void tick() {
		this.intake.closeExpiredGaps();
		this.feed.checkSilence();
	}

	private void retryLater(String reason) {
		if (!this.running || !this.reconnectScheduled.compareAndSet(false, true)) {
			return;
		}
		long delay = this.backOff.nextDelay();
		this.reconnects.incrementAndGet();
		logger.warn(reason + "; reconnecting in " + delay + " ms");
		schedule(this::connect, delay);
	}

	// ---- Polling and switching, on the worker.

	private void poll() {
		if (!this.running || this.mode != TransportMode.POLLING) {
			return;
		}
		long delay;
		try {
			ensureStartingPoint();
			if (this.catchUp.run(() -> this.running && this.mode == TransportMode.POLLING)) {
				this.tokenRejected = false;
				this.backOff.progressed();
				streaming(true, "polled");
			}
			delay = this.settings.pollInterval().toMillis();
		}
		catch (RuntimeException ex) {
			if (!this.running) {
				return; // stopping interrupted the request
			}
			delay = listFailed(ex, "poll");
			streaming(false, this.lastError);
		}
		if (this.running && this.mode == TransportMode.POLLING) {
			this.pollTask = schedule(this::poll, delay);
		}
	}

	private long listFailed(RuntimeException ex, String action) {
		String failure = listFailure(ex, action);
		if (this.tokenRejected) {
			long delay = TOKEN_REJECTED_RETRY.toMillis();
			logger.error(failure + ". Trying again in " + delay + " ms");
			return delay;
		}
		long delay = this.backOff.nextDelay();
		logger.warn(failure + "; trying again in " + delay + " ms");
		return delay;
	}

	// Remember a failure of the list for health: the message, and whether it was the token.
	private String listFailure(RuntimeException ex, String action) {
		this.tokenRejected = ex instanceof TokenRejectedException;
		this.lastError = this.tokenRejected ? "Cannot " + action + ": " + ex.getMessage()
				: "Cannot " + action + " through the logs list of " + this.settings.endpoint() + " ("
						+ this.redactor.describe(ex) + ")";
		return this.lastError;
	}

	// Events start or stop flowing: say so once per change. On the worker.
	private void streaming(boolean flowing, @Nullable String cause) {
		if (this.streaming == flowing || !this.running) {
			return;
		}
		this.streaming = flowing;
		this.notStreamingSince = flowing ? null : Instant.now();
		publish(flowing ? new StreamConnectedEvent(this, this.mode)
				: new StreamDisconnectedEvent(this, this.mode, (cause != null) ? cause : "unknown"));
	}

	private void publish(ArvadosStreamEvent event) {
		try {
			this.publisher.publishEvent(event);
		}
		catch (RuntimeException ex) {
			logger.warn("A listener of " + event.getClass().getSimpleName() + " failed: " + this.redactor.describe(ex));
		}
	}

	private void switchTo(TransportMode to, String reason) {
		TransportMode from = this.mode;
		if (!this.running || from == to) {
			return;
		}
		if (to == TransportMode.POLLING) {
			streaming(false, reason);
		}
		this.mode = to;
		this.switches.incrementAndGet();
		this.failedAttempts.set(0);
		logger.info("Switched from " + from.name().toLowerCase() + " to " + to.name().toLowerCase()
				+ " for Arvados events from " + this.settings.endpoint() + ": " + reason);
		if (to == TransportMode.POLLING) {
			onWorker(this::poll);
			long retry = this.settings.websocketRetryInterval().toMillis();
			this.webSocketRetryTask = scheduleWithFixedDelay(this::connect, retry);
		}
		else {
			cancel(this.pollTask);
			cancel(this.webSocketRetryTask);
		}
		publish(new TransportSwitchedEvent(this, from, to, reason));
	}

	// ---- Threads.

	private static ScheduledExecutorService singleThread(String name) {
		return Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, name);
			thread.setDaemon(true);
			return thread;
		});
	}

	private void onWorker(Runnable task) {
		schedule(task, 0);
	}

	private @Nullable Future<?> schedule(Runnable task, long delayMillis) {
		ScheduledExecutorService executor = this.worker;
		try {
			return (executor != null) ? executor.schedule(task, delayMillis, TimeUnit.MILLISECONDS) : null;
		}
		catch (RejectedExecutionException ex) {
			return null; // stopping
		}
	}

	private @Nullable Future<?> scheduleWithFixedDelay(Runnable task, long delayMillis) {
		ScheduledExecutorService executor = this.worker;
		try {
			return (executor != null)
					? executor.scheduleWithFixedDelay(task, delayMillis, delayMillis, TimeUnit.MILLISECONDS) : null;
		}
		catch (RejectedExecutionException ex) {
			return null; // stopping
		}
	}

	private static void cancel(@Nullable Future<?> task) {
		if (task != null) {
			task.cancel(false);
		}
	}

	@Override
	public String toString() {
		return "ArvadosEventSubscription[" + this.settings.endpoint() + "]";
	}

	/** Hands what the WebSocket side reports to the worker. */
	private final class FeedEvents implements WebSocketFeed.Events {

		@Override
		public void subscribed(Link link) {
			onWorker(() -> catchUpAndStream(link));
		}

		@Override
		public void unavailable(String reason, boolean permanently) {
			onWorker(() -> webSocketUnavailable(reason, permanently));
		}

		@Override
		public void rejected(Link link, String reason) {
			onWorker(() -> subscriptionRejected(link, reason));
		}

		@Override
		public void progressed() {
			ArvadosEventSubscription.this.backOff.progressed();
		}

	}

}

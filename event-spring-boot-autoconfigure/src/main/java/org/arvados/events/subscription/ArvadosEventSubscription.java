package org.arvados.events.subscription;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.arvados.events.ArvadosEvent;
import org.arvados.events.checkpoint.EventCheckpointStore;
import org.arvados.events.checkpoint.ResumePosition;
import org.arvados.events.dispatch.EventHandlerErrorHandler;
import org.arvados.events.lifecycle.SubscriptionStartedEvent;
import org.arvados.events.lifecycle.SubscriptionStoppedEvent;
import org.arvados.events.lifecycle.TransportMode;
import org.arvados.events.lifecycle.TransportSwitchedEvent;
import org.arvados.events.subscription.WebSocketFeed.Link;
import org.arvados.events.transport.LogsClient;
import org.arvados.events.transport.SecretRedactor;
import org.arvados.events.transport.WebSocketTransport;
import org.arvados.events.transport.WebSocketUrlResolver;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;

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

	private final ReconnectBackOff backOff;

	private final SecretRedactor redactor;

	private final WebSocketFeed feed;

	private final StreamStatus status;

	private final Object lifecycleMonitor = new Object();

	private final AtomicBoolean reconnectScheduled = new AtomicBoolean();

	private final AtomicInteger failedAttempts = new AtomicInteger();

	private final AtomicLong reconnects = new AtomicLong();

	private final AtomicLong switches = new AtomicLong();

	private volatile boolean running;

	private boolean positionLoaded;

	private volatile TransportMode mode;

	private @Nullable SerialWorker worker;

	private @Nullable SerialWorker watchdog;

	private @Nullable Future<?> pollTask;

	private @Nullable Future<?> webSocketRetryTask;

	public ArvadosEventSubscription(SubscriptionSettings settings, WebSocketTransport webSocket,
			WebSocketUrlResolver urlResolver, LogsClient logsClient, EventCheckpointStore checkpointStore,
			ResumePosition position, int queueCapacity, ApplicationEventPublisher publisher,
			EventHandlerErrorHandler errorHandler) {
		this.settings = settings;
		this.redactor = new SecretRedactor(settings.token());
		this.status = new StreamStatus(this, publisher, settings.endpoint(), this.redactor);
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
			SerialWorker worker = new SerialWorker("arvados-events");
			SerialWorker watchdog = new SerialWorker("arvados-events-watchdog");
			this.worker = worker;
			this.watchdog = watchdog;
			this.running = true;
			this.status.reset();
			worker.execute((this.mode == TransportMode.POLLING) ? this::poll : this::connect);
			worker.scheduleWithFixedDelay(this::fillGaps, this.settings.pollInterval().toMillis());
			watchdog.scheduleWithFixedDelay(this::tick,
					Math.max(10, Math.min(1000, this.settings.heartbeatTimeout().toMillis() / 4)));
			logger.info("Following Arvados events from " + this.settings.endpoint() + " over "
					+ this.mode.name().toLowerCase() + " ("
					+ (this.intake.isPositionKnown() ? "resuming after id " + this.intake.resumeAfter()
							: "new events only")
					+ ")");
			this.status.publish(new SubscriptionStartedEvent(this, this.mode));
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
			this.status.reset();
			for (SerialWorker executor : new SerialWorker[] { this.worker, this.watchdog }) {
				if (executor != null) {
					executor.shutdownNow();
				}
			}
			this.feed.close();
			this.intake.dispatcher().stop(() -> {
				this.intake.saveCheckpoint();
				logger.info("Stopped following Arvados events at id " + this.intake.resumeAfter());
				this.status.publish(new SubscriptionStoppedEvent(this, this.intake.resumeAfter()));
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
		return this.intake.state(this.running, this.mode, this.status.isFlowing(), this.status.notFlowingSince(),
				this.status.isTokenRejected(), this.status.lastError(), this.reconnects.get(), this.switches.get());
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
		this.status.failed(reason);
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
		SerialWorker.cancel(this.webSocketRetryTask);
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
			String failure = this.status.listFailed(ex, "catch up on " + current.connection());
			long delay = retryDelay(failure);
			if (this.mode == TransportMode.WEBSOCKET) {
				streaming(false, failure); // while polling, a WebSocket on trial stops nothing that flows
			}
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
		this.status.listAnswered();
		logger.info("Streaming from " + current.connection() + " after id " + this.intake.resumeAfter());
		if (this.mode == TransportMode.POLLING) {
			switchTo(TransportMode.WEBSOCKET, "the WebSocket works again");
		}
		streaming(true, "caught up");
	}

	// On the WebSocket, an id the server never sent leaves a gap: its permission check failed (a token revoked for
	// a while), or it was lost between the database and the server. The list has it if the token may read it.
	// Every poll interval while gaps are open, ask the list for the missing ids.
	private void fillGaps() {
		if (!this.running || this.mode != TransportMode.WEBSOCKET || !this.status.isFlowing()
				|| !this.intake.hasOpenGaps()) {
			return;
		}
		try {
			this.catchUp.fillGaps(() -> this.running && this.mode == TransportMode.WEBSOCKET);
			this.status.listAnswered();
		}
		catch (RuntimeException ex) {
			if (this.running) {
				logger.warn(this.status.listFailed(ex, "look up missing event ids") + "; trying again in "
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
				this.status.listAnswered();
				this.backOff.progressed();
				streaming(true, "polled");
			}
			delay = this.settings.pollInterval().toMillis();
		}
		catch (RuntimeException ex) {
			if (!this.running) {
				return; // stopping interrupted the request
			}
			String failure = this.status.listFailed(ex, "poll");
			delay = retryDelay(failure);
			streaming(false, failure);
		}
		if (this.running && this.mode == TransportMode.POLLING) {
			this.pollTask = schedule(this::poll, delay);
		}
	}

	// A rejected token is asked about again rarely; anything else with the back-off.
	private long retryDelay(String failure) {
		if (this.status.isTokenRejected()) {
			long delay = TOKEN_REJECTED_RETRY.toMillis();
			logger.error(failure + ". Trying again in " + delay + " ms");
			return delay;
		}
		long delay = this.backOff.nextDelay();
		logger.warn(failure + "; trying again in " + delay + " ms");
		return delay;
	}

	// Events start or stop flowing: said once per change.
	private void streaming(boolean flowing, @Nullable String cause) {
		if (this.running) {
			this.status.flowing(flowing, this.mode, cause);
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
			this.webSocketRetryTask = worker().scheduleWithFixedDelay(this::connect,
					this.settings.websocketRetryInterval().toMillis());
		}
		else {
			SerialWorker.cancel(this.pollTask);
			SerialWorker.cancel(this.webSocketRetryTask);
		}
		this.status.publish(new TransportSwitchedEvent(this, from, to, reason));
	}

	// ---- Threads.

	private SerialWorker worker() {
		SerialWorker current = this.worker;
		Assert.state(current != null, "Not started");
		return current;
	}

	private void onWorker(Runnable task) {
		worker().execute(task);
	}

	private @Nullable Future<?> schedule(Runnable task, long delayMillis) {
		return worker().schedule(task, delayMillis);
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

package org.arvados.events.subscription;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

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
import org.arvados.events.transport.TransportListener;
import org.arvados.events.transport.WebSocketConnection;
import org.arvados.events.transport.WebSocketTransport;
import org.arvados.events.transport.WebSocketUrlResolver;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.util.backoff.BackOffExecution;

/**
 * The managed subscription to the cluster's events. Started last and stopped first among the application's
 * lifecycle beans, so every handler is registered before the first event and the web server outlives it.
 * <p>
 * It connects over WebSocket and subscribes with {@code last_log_id} = the {@link ResumePosition resume
 * position}; drops ids it already accepted; applies the configured filters on the client (the server honours
 * only some of them); queues the rest for the {@link EventDispatcher}; reconnects with back-off after any close
 * it did not ask for, and after {@code heartbeat-timeout} of silence (the server sends {@code {}} every
 * minute, so silence means a dead connection). Stopping closes with 1000, lets the dispatcher drain the queue,
 * and always runs the callback.
 */
public class ArvadosEventSubscription implements SmartLifecycle, DisposableBean {

	private static final Log logger = LogFactory.getLog(ArvadosEventSubscription.class);

	private static final Duration OFFER_WAIT = Duration.ofMillis(100);

	/** The server reads a client message in 4 KiB pieces and answers 400 to each piece of a larger one. */
	private static final int MAX_SUBSCRIBE_BYTES = 4000;

	private final SubscriptionSettings settings;

	private final WebSocketTransport transport;

	private final WebSocketUrlResolver urlResolver;

	private final EventCheckpointStore checkpointStore;

	private final Clock clock;

	private final EventDecoder decoder = new EventDecoder();

	private final ResumePosition position;

	private final EventDispatcher dispatcher;

	private final SecretRedactor redactor;

	private final Listener listener = new Listener();

	private final Object lifecycleMonitor = new Object();

	private final Object checkpointMonitor = new Object();

	private final AtomicBoolean reconnectScheduled = new AtomicBoolean();

	private final AtomicBoolean progressed = new AtomicBoolean();

	private final SubscriptionCounters counters = new SubscriptionCounters();

	private volatile boolean running;

	private boolean positionLoaded;

	private @Nullable ScheduledExecutorService scheduler;

	private volatile @Nullable WebSocketConnection connection;

	private volatile long lastReceivedNanos;

	private volatile boolean backPressured;

	private volatile boolean subscribed;

	private @Nullable BackOffExecution backOff;

	private long savedMark = -1;

	public ArvadosEventSubscription(SubscriptionSettings settings, WebSocketTransport transport,
			WebSocketUrlResolver urlResolver, EventCheckpointStore checkpointStore, ResumePosition position,
			int queueCapacity, ApplicationEventPublisher publisher, EventHandlerErrorHandler errorHandler,
			Clock clock) {
		this.settings = settings;
		this.transport = transport;
		this.urlResolver = urlResolver;
		this.checkpointStore = checkpointStore;
		this.position = position;
		this.clock = clock;
		this.redactor = new SecretRedactor(settings.token());
		this.dispatcher = new EventDispatcher(queueCapacity, publisher, errorHandler, this::handled);
	}

	@Override
	public void start() {
		synchronized (this.lifecycleMonitor) {
			if (this.running) {
				return;
			}
			if (!this.positionLoaded) {
				loadPosition();
				this.positionLoaded = true;
			}
			this.dispatcher.start();
			ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((task) -> {
				Thread thread = new Thread(task, "arvados-events-connect");
				thread.setDaemon(true);
				return thread;
			});
			this.scheduler = executor;
			this.running = true;
			long tick = Math.max(10, Math.min(1000, this.settings.heartbeatTimeout().toMillis() / 4));
			executor.execute(this::connect);
			executor.scheduleWithFixedDelay(this::tick, tick, tick, TimeUnit.MILLISECONDS);
			int subscribeBytes = subscribeMessage(Long.MAX_VALUE).getBytes(StandardCharsets.UTF_8).length;
			if (subscribeBytes > MAX_SUBSCRIBE_BYTES) {
				logger.error("The subscribe message for arvados.events.filters is " + subscribeBytes
						+ " bytes; the event server reads only about 4 KiB at once and will reject it. Use fewer "
						+ "filter values (the starter applies filters on the client as well).");
			}
			logger.info("Following Arvados events from " + this.settings.endpoint() + " ("
					+ (this.position.isStarted() ? "resuming after id " + this.position.lowWaterMark() : "new events only")
					+ ")");
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
			ScheduledExecutorService executor = this.scheduler;
			if (executor != null) {
				executor.shutdownNow();
			}
			WebSocketConnection current = this.connection;
			this.connection = null;
			if (current != null) {
				current.close();
			}
			this.dispatcher.stop(() -> {
				saveCheckpoint();
				logger.info("Stopped following Arvados events at id " + this.position.lowWaterMark());
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

	// Runs after the lifecycle processor gave up waiting for the drain: abandon what is still queued.
	@Override
	public void destroy() {
		this.dispatcher.stopNow();
	}

	/**
	 * A snapshot of the subscription's state, for health and tests; reads no I/O.
	 */
	public SubscriptionState state() {
		return new SubscriptionState(this.running, this.connection != null && this.subscribed, this.position.highestId(),
				this.position.lowWaterMark(), this.position.openGaps(), this.position.closedGaps(),
				this.dispatcher.queueDepth(), this.counters.snapshot());
	}

	private void loadPosition() {
		StartFrom startFrom = this.settings.startFrom();
		switch (startFrom.kind()) {
			case ID -> this.position.startAfter(startFrom.id() - 1);
			case CHECKPOINT -> this.checkpointStore.load().ifPresent(this.position::startAfter);
			case LATEST -> {
			}
		}
	}

	private void connect() {
		this.reconnectScheduled.set(false);
		if (!this.running) {
			return;
		}
		URI url;
		try {
			url = this.urlResolver.resolve();
		}
		catch (RuntimeException ex) {
			retryLater("Cannot find the WebSocket URL of " + this.settings.endpoint() + ": "
					+ this.redactor.describe(ex));
			return;
		}
		logger.debug("Connecting to " + url);
		CompletableFuture<?> handshake;
		try {
			handshake = this.transport.connect(url, this.settings.token(), this.listener);
		}
		catch (RuntimeException ex) {
			handshake = CompletableFuture.failedFuture(ex);
		}
		handshake.whenComplete((session, ex) -> {
			if (ex != null) {
				Throwable cause = (ex instanceof CompletionException && ex.getCause() != null) ? ex.getCause() : ex;
				retryLater("Cannot connect to " + url + ": " + this.redactor.describe(cause));
			}
		});
	}

	private String subscribeMessage(long resumeAfter) {
		Map<String, Object> message = new LinkedHashMap<>();
		message.put("method", "subscribe");
		message.put("filters", this.settings.filters().stream().map(EventFilter::toArvados).toList());
		if (resumeAfter > 0) {
			message.put("last_log_id", resumeAfter);
		}
		return JsonMapper.shared().writeValueAsString(message);
	}

	private void subscribe(WebSocketConnection current) {
		long resumeAfter = this.position.isStarted() ? this.position.lowWaterMark() : 0;
		try {
			current.send(subscribeMessage(resumeAfter));
			logger.info("Connected to " + current
					+ ((resumeAfter > 0) ? ", resuming after id " + resumeAfter : ", new events only"));
		}
		catch (IOException | RuntimeException ex) {
			drop(current, "Cannot subscribe on " + current + ": " + this.redactor.describe(ex));
		}
	}

	private void receive(WebSocketConnection current, String text) {
		this.lastReceivedNanos = System.nanoTime();
		ServerMessage message;
		try {
			message = this.decoder.decode(text);
		}
		catch (MalformedMessageException ex) {
			this.counters.malformed.incrementAndGet();
			logger.warn("Skipped a malformed message from " + current + ": " + this.redactor.redact(ex.getMessage()));
			return;
		}
		if (message instanceof ServerMessage.Event event) {
			accept(current, event.event());
		}
		else if (message instanceof ServerMessage.Status status && status.code() == 200) {
			this.subscribed = true;
		}
		else if (message instanceof ServerMessage.Status status) {
			logger.error("The event server answered " + status.code() + " to the subscription with filters "
					+ this.settings.filters() + "; check arvados.events.filters");
		}
	}

	private void accept(WebSocketConnection current, ArvadosEvent event) {
		this.counters.received.incrementAndGet();
		Acceptance acceptance = this.position.accept(event.id());
		if (acceptance == Acceptance.DUPLICATE) {
			this.counters.duplicates.incrementAndGet();
			return;
		}
		this.progressed.set(true);
		if (acceptance == Acceptance.LATE && logger.isDebugEnabled()) {
			logger.debug("Event " + event.id() + " arrived after higher ids (a later commit); delivering it");
		}
		if (!this.settings.filters().stream().allMatch((filter) -> filter.matches(event))) {
			this.position.handled(event.id());
			return;
		}
		this.backPressured = true;
		try {
			while (!this.dispatcher.offer(event, OFFER_WAIT)) {
				if (current != this.connection || !this.running) {
					this.position.release(event.id());
					return;
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
	}

	private void handled(ArvadosEvent event) {
		this.position.handled(event.id());
		this.counters.handled.incrementAndGet();
		saveCheckpoint();
	}

	private void saveCheckpoint() {
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

	private void tick() {
		int closed = this.position.closeExpiredGaps();
		if (closed > 0 && logger.isDebugEnabled()) {
			logger.debug("Closed " + closed + " gap(s) in the event ids after gap-timeout");
		}
		saveCheckpoint();
		WebSocketConnection current = this.connection;
		long silentNanos = System.nanoTime() - this.lastReceivedNanos;
		if (current != null && !this.backPressured && silentNanos > this.settings.heartbeatTimeout().toNanos()) {
			drop(current, "No message from " + current + " for " + Duration.ofNanos(silentNanos).toSeconds()
					+ " s (the server sends a keepalive every minute), so the connection is presumed dead");
		}
	}

	private void drop(WebSocketConnection dropped, String reason) {
		synchronized (this.lifecycleMonitor) {
			if (dropped != this.connection) {
				return;
			}
			this.connection = null;
		}
		// Closing a dead connection can block on the close frame: never on the scheduler or reader thread.
		CompletableFuture.runAsync(dropped::close);
		retryLater(reason);
	}

	private void retryLater(String reason) {
		if (!this.running || !this.reconnectScheduled.compareAndSet(false, true)) {
			return;
		}
		long delay = nextBackOff();
		this.counters.reconnects.incrementAndGet();
		logger.warn(reason + "; reconnecting in " + delay + " ms");
		ScheduledExecutorService executor = this.scheduler;
		try {
			if (executor != null) {
				executor.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
			}
		}
		catch (RejectedExecutionException ex) {
			// Stopping: nothing to reconnect.
		}
	}

	// Waits grow while attempts bring nothing new, and start over once a connection delivered an event.
	private synchronized long nextBackOff() {
		if (this.backOff == null || this.progressed.getAndSet(false)) {
			this.backOff = this.settings.reconnectBackOff().start();
		}
		long delay = this.backOff.nextBackOff();
		if (delay == BackOffExecution.STOP) {
			this.backOff = this.settings.reconnectBackOff().start();
			delay = this.backOff.nextBackOff();
		}
		return Math.max(0, delay);
	}

	@Override
	public String toString() {
		return "ArvadosEventSubscription[" + this.settings.endpoint() + "]";
	}

	private final class Listener implements TransportListener {

		@Override
		public void onOpen(WebSocketConnection opened) {
			synchronized (ArvadosEventSubscription.this.lifecycleMonitor) {
				if (!ArvadosEventSubscription.this.running) {
					opened.close();
					return;
				}
				ArvadosEventSubscription.this.connection = opened;
				ArvadosEventSubscription.this.subscribed = false;
				ArvadosEventSubscription.this.lastReceivedNanos = System.nanoTime();
			}
			subscribe(opened);
		}

		@Override
		public void onMessage(WebSocketConnection from, String text) {
			if (from == ArvadosEventSubscription.this.connection) {
				receive(from, text);
			}
		}

		@Override
		public void onClose(WebSocketConnection closed, String reason) {
			drop(closed, "Connection to " + closed + " " + reason);
		}

	}

	/** Running totals since the start. */
	static final class SubscriptionCounters {

		final AtomicLong received = new AtomicLong();

		final AtomicLong handled = new AtomicLong();

		final AtomicLong duplicates = new AtomicLong();

		final AtomicLong malformed = new AtomicLong();

		final AtomicLong reconnects = new AtomicLong();

		SubscriptionState.Counts snapshot() {
			return new SubscriptionState.Counts(this.received.get(), this.handled.get(), this.duplicates.get(),
					this.malformed.get(), this.reconnects.get());
		}

	}

}

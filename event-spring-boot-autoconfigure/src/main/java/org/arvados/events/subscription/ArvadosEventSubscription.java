package org.arvados.events.subscription;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
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
import org.arvados.events.checkpoint.EventCheckpointStore;
import org.arvados.events.checkpoint.ResumePosition;
import org.arvados.events.dispatch.EventHandlerErrorHandler;
import org.arvados.events.filter.EventFilter;
import org.arvados.events.transport.LatestEventProbe;
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

/**
 * The managed subscription to the cluster's events. Started last and stopped first among the application's
 * lifecycle beans, so every handler is registered before the first event and the web server outlives it.
 * <p>
 * It connects over WebSocket and subscribes with {@code last_log_id} = the {@link ResumePosition resume
 * position}, hands every message to its {@link EventIntake}, and reconnects with back-off after any close it
 * did not ask for and after {@code heartbeat-timeout} of silence (the server sends {@code {}} every minute, so
 * silence means a dead or half-open connection). Stopping closes with 1000, lets the queued events reach their
 * handlers, and always runs the callback.
 */
public class ArvadosEventSubscription implements SmartLifecycle, DisposableBean {

	private static final Log logger = LogFactory.getLog(ArvadosEventSubscription.class);

	/** The server reads a client message in 4 KiB pieces and answers 400 to each piece of a larger one. */
	private static final int MAX_SUBSCRIBE_BYTES = 4000;

	private final SubscriptionSettings settings;

	private final WebSocketTransport transport;

	private final WebSocketUrlResolver urlResolver;

	private final @Nullable LatestEventProbe latestEventProbe;

	private final EventIntake intake;

	private final ReconnectBackOff backOff;

	private final SecretRedactor redactor;

	private final Listener listener = new Listener();

	private final Object lifecycleMonitor = new Object();

	private final AtomicBoolean reconnectScheduled = new AtomicBoolean();

	private final AtomicLong reconnects = new AtomicLong();

	private volatile boolean running;

	private boolean positionLoaded;

	private volatile boolean probed;

	private @Nullable ScheduledExecutorService scheduler;

	private volatile @Nullable WebSocketConnection connection;

	private volatile boolean subscribed;

	private volatile long lastReceivedNanos;

	public ArvadosEventSubscription(SubscriptionSettings settings, WebSocketTransport transport,
			WebSocketUrlResolver urlResolver, @Nullable LatestEventProbe latestEventProbe,
			EventCheckpointStore checkpointStore, ResumePosition position, int queueCapacity,
			ApplicationEventPublisher publisher, EventHandlerErrorHandler errorHandler) {
		this.settings = settings;
		this.transport = transport;
		this.urlResolver = urlResolver;
		this.latestEventProbe = latestEventProbe;
		this.redactor = new SecretRedactor(settings.token());
		this.intake = new EventIntake(position, settings.filters(), checkpointStore, queueCapacity, publisher,
				errorHandler, this.redactor);
		this.backOff = new ReconnectBackOff(settings.reconnectBackOff());
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
			int subscribeBytes = subscribeMessage(true, Long.MAX_VALUE).getBytes(StandardCharsets.UTF_8).length;
			if (subscribeBytes > MAX_SUBSCRIBE_BYTES) {
				logger.error("The subscribe message for arvados.events.filters is " + subscribeBytes
						+ " bytes; the event server reads only about 4 KiB at once and will reject it. Use fewer "
						+ "filter values (the starter applies filters on the client as well).");
			}
			this.intake.dispatcher().start();
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
			logger.info("Following Arvados events from " + this.settings.endpoint() + " ("
					+ (this.intake.isPositionKnown() ? "resuming after id " + this.intake.resumeAfter()
							: "new events only")
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
			this.intake.dispatcher().stop(() -> {
				this.intake.saveCheckpoint();
				logger.info("Stopped following Arvados events at id " + this.intake.resumeAfter());
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
		return this.intake.state(this.running, this.connection != null && this.subscribed, this.reconnects.get());
	}

	private void connect() {
		this.reconnectScheduled.set(false);
		if (!this.running) {
			return;
		}
		probeLatest();
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

	// "From now on" needs a position before the first connection, or one that drops before its first event
	// would resubscribe without last_log_id and lose what happened meanwhile. Asked once; without an answer the
	// first event that arrives sets the position.
	private void probeLatest() {
		if (this.probed || this.latestEventProbe == null || this.intake.isPositionKnown()
				|| this.settings.startFrom().kind() != StartFrom.Kind.LATEST) {
			return;
		}
		this.probed = true;
		try {
			// Nothing visible in the window: whatever comes is new, so start after 0.
			long newest = this.latestEventProbe.newestId().orElse(0);
			this.intake.startAfter(newest);
			logger.debug("Newest event id at start: " + newest);
		}
		catch (RuntimeException ex) {
			logger.warn("Cannot ask " + this.settings.endpoint() + " for the newest event id ("
					+ this.redactor.describe(ex) + "); new events count from the first one that arrives");
		}
	}

	private String subscribeMessage(boolean resume, long resumeAfter) {
		Map<String, Object> message = new LinkedHashMap<>();
		message.put("method", "subscribe");
		message.put("filters", this.settings.filters().stream().map(EventFilter::toArvados).toList());
		if (resume) {
			// The server replays ids above last_log_id, but only when it is not 0: after 0 is asked as after -1.
			message.put("last_log_id", (resumeAfter != 0) ? resumeAfter : -1);
		}
		return JsonMapper.shared().writeValueAsString(message);
	}

	private void subscribe(WebSocketConnection current) {
		boolean resume = this.intake.isPositionKnown();
		long resumeAfter = this.intake.resumeAfter();
		try {
			current.send(subscribeMessage(resume, resumeAfter));
			logger.info("Connected to " + current + (resume ? ", resuming after id " + resumeAfter : ", new events only"));
		}
		catch (IOException | RuntimeException ex) {
			drop(current, "Cannot subscribe on " + current + ": " + this.redactor.describe(ex));
		}
	}

	private void receive(WebSocketConnection current, String text) {
		this.lastReceivedNanos = System.nanoTime();
		switch (this.intake.receive(text, current, () -> this.running && current == this.connection)) {
			case SUBSCRIBED -> this.subscribed = true;
			case NEW_EVENT -> this.backOff.progressed();
			case NOTHING_NEW -> {
			}
		}
		// Waiting for room in the queue is not silence on the socket.
		this.lastReceivedNanos = System.nanoTime();
	}

	private void tick() {
		this.intake.closeExpiredGaps();
		WebSocketConnection current = this.connection;
		long silentNanos = System.nanoTime() - this.lastReceivedNanos;
		if (current != null && !this.intake.isBackPressured()
				&& silentNanos > this.settings.heartbeatTimeout().toNanos()) {
			drop(current, "No message from " + current + " for " + Duration.ofNanos(silentNanos).toMillis()
					+ " ms (the server sends a keepalive every minute), so the connection is presumed dead");
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
		long delay = this.backOff.nextDelay();
		this.reconnects.incrementAndGet();
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

	@Override
	public String toString() {
		return "ArvadosEventSubscription[" + this.settings.endpoint() + "]";
	}

	/** Receives what happens on the connections; only the current one is listened to. */
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

}

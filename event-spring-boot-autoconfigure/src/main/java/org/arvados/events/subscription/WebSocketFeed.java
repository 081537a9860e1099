package org.arvados.events.subscription;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.arvados.events.decode.ServerMessage;
import org.arvados.events.ArvadosEvent;
import org.arvados.events.filter.EventFilter;
import org.arvados.events.lifecycle.DisconnectReason;
import org.arvados.events.subscription.EventIntake.Outcome;
import org.arvados.events.transport.SecretRedactor;
import org.arvados.events.transport.TransportListener;
import org.arvados.events.transport.WebSocketConnection;
import org.arvados.events.transport.WebSocketNotAdvertisedException;
import org.arvados.events.transport.WebSocketTransport;
import org.arvados.events.transport.WebSocketUrlResolver;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * The WebSocket side of a subscription, the {@link LiveFeed} the machine drives: finds the URL, connects, sends
 * the subscription with {@code last_log_id}, and reads. One connection at a time, the {@link Link}; messages from
 * any other are ignored. On the socket reader's thread each message is decoded and its event queued for the
 * handlers, or held in the connection's {@link LiveBuffer} until the machine has caught up and
 * {@link #release releases} them; only what changes the connection's life goes to the machine, as a signal.
 */
final class WebSocketFeed implements LiveFeed {

	private static final Log logger = LogFactory.getLog(WebSocketFeed.class);

	/** The server reads a client message in 4 KiB pieces and answers 400 to each piece of a larger one. */
	private static final int MAX_SUBSCRIBE_BYTES = 4000;

	/** Live events held while catching up, at most; beyond it they are let go and read from the list. */
	private static final long LIVE_BUFFER_CHARS = 64L * 1024 * 1024;

	/**
	 * A connection, the live events it holds back while the catch-up runs, the filter sets subscribed on it (only
	 * touched on the machine's thread), and whether the server has answered the first subscribe message.
	 */
	record Link(WebSocketConnection connection, LiveBuffer buffer, List<List<EventFilter>> sets,
			AtomicBoolean confirmed) implements LiveFeed.Link {

		@Override
		public String toString() {
			return this.connection.toString();
		}

	}

	private final SubscriptionSettings settings;

	private final WebSocketTransport transport;

	private final WebSocketUrlResolver urlResolver;

	private final EventIntake intake;

	private final SecretRedactor redactor;

	private final int liveBufferCapacity;

	private final BooleanSupplier running;

	private final ReconnectBackOff backOff;

	private @Nullable Signals signals;

	private final Listener listener = new Listener();

	private final Object linkMonitor = new Object();

	private final AtomicBoolean attempting = new AtomicBoolean();

	private volatile @Nullable Link link;

	private volatile long lastReceivedNanos;

	WebSocketFeed(SubscriptionSettings settings, WebSocketTransport transport, WebSocketUrlResolver urlResolver,
			EventIntake intake, SecretRedactor redactor, int liveBufferCapacity, BooleanSupplier running,
			ReconnectBackOff backOff) {
		this.settings = settings;
		this.transport = transport;
		this.urlResolver = urlResolver;
		this.intake = intake;
		this.redactor = redactor;
		this.liveBufferCapacity = liveBufferCapacity;
		this.running = running;
		this.backOff = backOff;
	}

	/**
	 * Say where the signals go: the machine, which is built after the feed.
	 * @param signals the receiver
	 */
	void signalTo(Signals signals) {
		this.signals = signals;
	}

	private Signals signals() {
		Signals target = this.signals;
		if (target == null) {
			throw new IllegalStateException("The feed has no machine to signal to");
		}
		return target;
	}

	/**
	 * Say once, at start, when the filters make a subscribe message the server will reject.
	 */
	void checkSubscribeSize() {
		for (List<EventFilter> set : this.intake.filters().sets()) {
			int bytes = subscribeSize(set);
			if (bytes > MAX_SUBSCRIBE_BYTES) {
				logger.error("The subscribe message for arvados.events.filters is " + bytes
						+ " bytes; the event server reads only about 4 KiB at once and will reject it. Use fewer "
						+ "filter values (the starter applies filters on the client as well).");
			}
		}
	}

	/**
	 * Check a filter set added at run time: its subscribe message must fit the server's reads.
	 * @param set the filters
	 * @throws IllegalArgumentException if it does not
	 */
	static void checkSubscribeSize(List<EventFilter> set) {
		int bytes = subscribeSize(set);
		if (bytes > MAX_SUBSCRIBE_BYTES) {
			throw new IllegalArgumentException("The subscribe message for the filters " + set + " is " + bytes
					+ " bytes; the event server reads only about 4 KiB at once and would reject it. Use fewer "
					+ "filter values, or several filter sets");
		}
	}

	private static int subscribeSize(List<EventFilter> set) {
		return message("subscribe", set, Long.MAX_VALUE).getBytes(StandardCharsets.UTF_8).length;
	}

	@Override
	public void connect() {
		if (this.link != null || !this.attempting.compareAndSet(false, true)) {
			return;
		}
		URI url;
		try {
			url = this.urlResolver.resolve();
		}
		catch (WebSocketNotAdvertisedException ex) {
			this.attempting.set(false);
			signals().unavailable(DisconnectReason.NO_WEBSOCKET, ex.getMessage());
			return;
		}
		catch (RuntimeException ex) {
			this.attempting.set(false);
			signals().unavailable(DisconnectReason.CONNECT_FAILED, "Cannot find the WebSocket URL of "
					+ this.settings.endpoint() + ": " + this.redactor.describe(ex));
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
			if (ex != null && this.attempting.compareAndSet(true, false)) {
				Throwable cause = (ex instanceof CompletionException && ex.getCause() != null) ? ex.getCause() : ex;
				signals().unavailable(DisconnectReason.CONNECT_FAILED,
						"Cannot connect to " + url + ": " + this.redactor.describe(cause));
			}
		});
	}

	@Override
	public boolean isCurrent(LiveFeed.Link candidate) {
		return this.running.getAsBoolean() && candidate == this.link;
	}

	@Override
	public boolean takeOverflow(LiveFeed.Link link) {
		return ((Link) link).buffer().takeOverflow();
	}

	@Override
	public boolean release(LiveFeed.Link released) {
		Link current = (Link) released;
		for (ArvadosEvent held = current.buffer().next(); held != null; held = current.buffer().next()) {
			acceptLive(current, held, false);
		}
		return current.buffer().isLive();
	}

	// A reader waiting for room in the queue reads nothing: that silence is ours.
	@Override
	public @Nullable String silence() {
		Link current = this.link;
		long silentNanos = System.nanoTime() - this.lastReceivedNanos;
		if (current == null || this.intake.isBackPressured() || silentNanos <= this.settings.heartbeatTimeout().toNanos()) {
			return null;
		}
		return "No message from " + current.connection() + " for " + Duration.ofNanos(silentNanos).toMillis()
				+ " ms (the server sends a keepalive every minute), so the connection is presumed dead";
	}

	@Override
	public void close() {
		Link current;
		synchronized (this.linkMonitor) {
			current = this.link;
			this.link = null;
			this.attempting.set(false);
		}
		if (current != null) {
			// Closing a dead connection can block on the close frame: never on the caller's thread.
			CompletableFuture.runAsync(current.connection()::close);
		}
	}

	// A negative last_log_id leaves it out: new events only.
	private static String message(String method, List<EventFilter> set, long lastLogId) {
		Map<String, Object> message = new LinkedHashMap<>();
		message.put("method", method);
		message.put("filters", set.stream().map(EventFilter::toArvados).toList());
		if (lastLogId >= 0) {
			// The server replays ids above last_log_id, but only when it is not 0: after 0 is asked as after -1.
			message.put("last_log_id", (lastLogId != 0) ? lastLogId : -1);
		}
		return JsonMapper.shared().writeValueAsString(message);
	}

	// One subscribe message for each filter set: the server follows their union, and reads small messages only.
	@Override
	public void subscribe(LiveFeed.Link subscribing) {
		Link current = (Link) subscribing;
		boolean resume = this.intake.isPositionKnown();
		long resumeAfter = this.intake.resumeAfter();
		for (List<EventFilter> set : this.intake.filters().sets()) {
			if (!send(current, "subscribe", set, resume ? resumeAfter : -1)) {
				return;
			}
		}
		logger.debug("Subscribed on " + current.connection()
				+ (resume ? ", resuming after id " + resumeAfter : ", new events only"));
	}

	@Override
	public void subscribe(LiveFeed.Link subscribing, List<EventFilter> set, long lastLogId) {
		Link current = (Link) subscribing;
		if (isCurrent(current) && !current.sets().contains(set) && send(current, "subscribe", set, lastLogId)) {
			logger.debug("Subscribed to " + set + " on " + current.connection() + " after id " + lastLogId);
		}
	}

	@Override
	public void unsubscribe(LiveFeed.Link unsubscribing, List<EventFilter> set) {
		Link current = (Link) unsubscribing;
		if (isCurrent(current) && current.sets().contains(set) && send(current, "unsubscribe", set, -1)) {
			logger.debug("Unsubscribed from " + set + " on " + current.connection());
		}
	}

	// Sends, and keeps track of the sets subscribed on the connection; a failure drops it.
	private boolean send(Link link, String method, List<EventFilter> set, long lastLogId) {
		try {
			link.connection().send(message(method, set, lastLogId));
		}
		catch (IOException | RuntimeException ex) {
			drop(link, "Cannot " + method + " on " + link.connection() + ": " + this.redactor.describe(ex));
			return false;
		}
		if (method.equals("subscribe")) {
			link.sets().add(set);
		}
		else {
			link.sets().remove(set);
		}
		return true;
	}

	private void receive(Link from, String text, byte @Nullable [] utf8) {
		this.lastReceivedNanos = System.nanoTime();
		ServerMessage message = this.intake.decode(text, utf8, from.connection());
		if (message instanceof ServerMessage.Event event) {
			if (!from.buffer().hold(event.event()) && acceptLive(from, event.event(), true) == Outcome.NEW_EVENT) {
				this.backOff.progressed();
			}
		}
		else if (message instanceof ServerMessage.Status status) {
			answered(from, status.code());
		}
		// Waiting for room in the queue is not silence on the socket.
		this.lastReceivedNanos = System.nanoTime();
	}

	// An id more than a page of the list above the highest accepted is not taken on the WebSocket's word: one wrong
	// id (a broken proxy, a restored database) would make every real id after it a duplicate, for good. The list
	// confirms it: a real one is in the next pass, which reads every id above the highest.
	private Outcome acceptLive(Link from, ArvadosEvent event, boolean mayHandle) {
		if (this.intake.isFarAhead(event.id(), this.settings.pollLimit())) {
			this.intake.leaveToTheList(event.id(), this.settings.pollLimit());
			return Outcome.NOTHING_NEW;
		}
		return this.intake.accept(event, () -> isCurrent(from), mayHandle);
	}

	// The first answer is to the subscription: 200 starts the catch-up, anything else rejects it. Later ones answer
	// more subscribe messages (one per filter set) or unsubscribe messages.
	private void answered(Link from, int status) {
		boolean first = from.confirmed().compareAndSet(false, true);
		if (status == 200) {
			if (first) {
				signals().subscribed(from);
			}
		}
		else if (first) {
			logger.error("The event server answered " + status + " to the subscription with filters "
					+ this.intake.filters() + "; check arvados.events.filters");
			signals().rejected(from, "The event server rejected the subscription");
		}
		else {
			logger.warn("The event server answered " + status + " to a subscribe or unsubscribe message on "
					+ from.connection() + "; the filter sets are " + this.intake.filters()
					+ " (the starter applies them on the client as well)");
		}
	}

	private void drop(Link dropped, String reason) {
		synchronized (this.linkMonitor) {
			if (dropped != this.link) {
				return;
			}
			this.link = null;
		}
		CompletableFuture.runAsync(dropped.connection()::close);
		signals().unavailable(DisconnectReason.CLOSED, reason);
	}

	/** Receives what happens on the connections; only the current one is listened to. */
	private final class Listener implements TransportListener {

		@Override
		public void onOpen(WebSocketConnection opened) {
			Link opening = new Link(opened, new LiveBuffer(WebSocketFeed.this.liveBufferCapacity, LIVE_BUFFER_CHARS),
					new ArrayList<>(), new AtomicBoolean());
			synchronized (WebSocketFeed.this.linkMonitor) {
				// Not attempting any more: the machine closed the feed while this handshake ran.
				if (!WebSocketFeed.this.attempting.getAndSet(false) || !WebSocketFeed.this.running.getAsBoolean()) {
					opened.close();
					return;
				}
				WebSocketFeed.this.link = opening;
				WebSocketFeed.this.lastReceivedNanos = System.nanoTime();
			}
			WebSocketFeed.this.signals().opened(opening);
		}

		@Override
		public void onMessage(WebSocketConnection from, String text, byte @Nullable [] utf8) {
			Link current = WebSocketFeed.this.link;
			if (current != null && current.connection() == from) {
				receive(current, text, utf8);
			}
		}

		@Override
		public void onClose(WebSocketConnection closed, String reason) {
			Link current = WebSocketFeed.this.link;
			if (current != null && current.connection() == closed) {
				drop(current, "Connection to " + closed + " " + reason);
			}
		}

	}

}

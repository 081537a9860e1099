package org.arvados.events.sample.live;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.arvados.events.ArvadosEvent;
import org.arvados.events.pull.PullListener;
import org.arvados.events.sample.live.StreamChanges.Change;
import org.arvados.events.subscription.SubscriptionState;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One browser on the live page: its pull listener, drained into its connection by a pump that runs every tick on
 * the page's scheduler. Sends {@code state} (the stream's phase, transport and reconnect count, first as it is,
 * then each change), {@code arvados} (an event) and {@code dropped} (how many events this browser missed because
 * it fell behind). Once the connection completes, times out or fails, or the application stops, the pump is
 * cancelled and the listener closed: nothing of the browser stays behind.
 */
final class Viewer {

	private static final Logger logger = LoggerFactory.getLogger(Viewer.class);

	// Per tick, so that a browser with a backlog lets the others have the thread now and then.
	private static final int BATCH = 200;

	// A browser that left is only noticed when a write fails: write something now and then.
	private static final Duration HEARTBEAT = Duration.ofSeconds(15);

	private final SseEmitter emitter;

	private final PullListener events;

	private final StreamChanges changes;

	private final Supplier<SubscriptionState> state;

	private final Consumer<Viewer> onClose;

	private final AtomicBoolean closed = new AtomicBoolean();

	private volatile @Nullable ScheduledFuture<?> pump;

	// Touched by the pump only: a fixed-delay task never overlaps itself.
	private long changeSeen = -1;

	private long droppedSent;

	private long lastWrite = System.nanoTime();

	Viewer(SseEmitter emitter, PullListener events, StreamChanges changes, Supplier<SubscriptionState> state,
			Consumer<Viewer> onClose) {
		this.emitter = emitter;
		this.events = events;
		this.changes = changes;
		this.state = state;
		this.onClose = onClose;
	}

	void start(ScheduledExecutorService pumps, Duration tick) {
		this.emitter.onCompletion(this::close);
		this.emitter.onTimeout(this::close);
		this.emitter.onError((ex) -> close());
		this.pump = pumps.scheduleWithFixedDelay(this::pump, 0, tick.toMillis(), TimeUnit.MILLISECONDS);
		if (this.closed.get()) {
			close(this.pump);
		}
	}

	/** Close, and end the connection: the application stops. */
	void finish() {
		close();
		this.emitter.complete();
	}

	private void close() {
		if (this.closed.compareAndSet(false, true)) {
			close(this.pump);
			this.onClose.accept(this);
			logger.debug("Closed {} after it dropped {} event(s)", this.events.name(), this.events.dropped());
		}
	}

	private void close(@Nullable ScheduledFuture<?> pump) {
		if (pump != null) {
			pump.cancel(false);
		}
		this.events.close();
	}

	private void pump() {
		try {
			sendState();
			for (int i = 0; i < BATCH; i++) {
				ArvadosEvent event = this.events.poll(Duration.ZERO);
				if (event == null) {
					break;
				}
				send("arvados", Row.of(event));
			}
			long dropped = this.events.dropped();
			if (dropped != this.droppedSent) {
				send("dropped", new Dropped(dropped));
				this.droppedSent = dropped;
			}
			if (System.nanoTime() - this.lastWrite > HEARTBEAT.toNanos()) {
				this.emitter.send(SseEmitter.event().comment("still here"));
				this.lastWrite = System.nanoTime();
			}
		}
		catch (IOException | IllegalStateException ex) {
			// The browser went away, or the connection completed: the container tells the emitter as well.
			close();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			close();
		}
		catch (RuntimeException ex) {
			// A scheduled task that throws is never run again: say so, let go of the listener and end the
			// connection; the browser's EventSource opens a new one.
			logger.warn("The live page's pump for {} failed; closing it", this.events.name(), ex);
			close();
			this.emitter.completeWithError(ex);
		}
	}

	private void sendState() throws IOException {
		if (this.changeSeen < 0) {
			// The first tick: the stream as it is. Changes recorded from here on follow; one may repeat it.
			this.changeSeen = this.changes.last();
			send("state", State.of(this.state.get()));
			return;
		}
		List<Change> news = this.changes.since(this.changeSeen);
		if (!news.isEmpty()) {
			long reconnects = this.state.get().counts().reconnects();
			for (Change change : news) {
				// The count went up before the stream entered BACKING_OFF, so each failure's change carries it.
				send("state", State.of(change, reconnects));
				this.changeSeen = change.number();
			}
		}
	}

	private void send(String name, Object data) throws IOException {
		this.emitter.send(SseEmitter.event().name(name).data(data, MediaType.APPLICATION_JSON));
		this.lastWrite = System.nanoTime();
	}

	/**
	 * An {@code arvados} message: the columns of the page's table.
	 *
	 * @param id the event id
	 * @param type its event type
	 * @param kind the object's kind
	 * @param objectUuid the object's UUID
	 * @param at when it happened, ISO-8601, or {@code null} if the server did not say
	 */
	record Row(long id, String type, String kind, String objectUuid, @Nullable String at) {

		static Row of(ArvadosEvent event) {
			return new Row(event.id(), event.eventType(), event.objectKind(), event.objectUuid(),
					(event.eventAt() != null) ? event.eventAt().toString() : null);
		}

	}

	/**
	 * A {@code state} message.
	 *
	 * @param phase the phase, e.g. {@code LIVE}, {@code POLLING}, {@code BACKING_OFF}
	 * @param mode the transport, {@code WEBSOCKET} or {@code POLLING}
	 * @param flowing whether events flow in this phase
	 * @param reconnects connection attempts after the first, since the start
	 * @param reason why events do not flow, or {@code null}
	 * @param cause why, in words, or {@code null}
	 * @param at when the stream entered the phase (for the first message: when it was read)
	 */
	record State(String phase, String mode, boolean flowing, long reconnects, @Nullable String reason,
			@Nullable String cause, String at) {

		static State of(SubscriptionState state) {
			boolean flowing = state.phase().isFlowing();
			return new State(state.phase().name(), state.mode().name(), flowing, state.counts().reconnects(),
					(state.reason() != null) ? state.reason().name() : null, flowing ? null : state.lastError(),
					Instant.now().toString());
		}

		static State of(Change change, long reconnects) {
			return new State(change.phase().name(), change.mode().name(), change.phase().isFlowing(), reconnects,
					(change.reason() != null) ? change.reason().name() : null, change.cause(), change.at().toString());
		}

	}

	/**
	 * A {@code dropped} message.
	 *
	 * @param dropped how many selected events this browser's listener dropped because its queue was full
	 */
	record Dropped(long dropped) {
	}

}

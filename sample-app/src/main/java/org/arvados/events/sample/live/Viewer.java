package org.arvados.events.sample.live;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

import org.arvados.events.ArvadosEvent;
import org.arvados.events.sample.live.Messages.Dropped;
import org.arvados.events.sample.live.Messages.History;
import org.arvados.events.sample.live.Messages.Lag;
import org.arvados.events.sample.live.Messages.Row;
import org.arvados.events.sample.live.Messages.State;
import org.arvados.events.sample.live.StreamChanges.Change;
import org.arvados.events.subscription.ArvadosEventSubscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One browser on the live page and the thread that sends to it: every tick, what it has not seen of the page's
 * {@link LiveEvents}, then a sleep. Sends {@code history} (the stream's phase changes since the start, once),
 * {@code state} (the stream's phase, transport and reconnect count, first as it is, then each change),
 * {@code arvados} (an event), {@code rates} and {@code lag} (once a second: the events per second by type over
 * the last minutes, the handlers' lag and the last event) and {@code dropped} (how many events this browser missed
 * because it fell behind). A
 * write to a browser that does not read blocks this thread only, until the server's write timeout fails it;
 * meanwhile the ring moves on and what it passes is counted as dropped. Once the connection completes, times out or
 * fails, or the application stops, the thread ends: nothing of the browser stays behind.
 */
final class Viewer implements Runnable {

	private static final Logger logger = LoggerFactory.getLogger(Viewer.class);

	// A browser that left is only noticed when a write fails: write something now and then.
	private static final Duration HEARTBEAT = Duration.ofSeconds(15);

	private final String name;

	private final SseEmitter emitter;

	private final LiveEvents events;

	private final StreamChanges changes;

	private final EventRates rates;

	private final ArvadosEventSubscription subscription;

	private final Duration tick;

	private final Consumer<Viewer> onEnd;

	private final long handOffDroppedBefore;

	private volatile boolean closed;

	// Written by this viewer's thread only; read by dropped() from any.
	private volatile long eventSeen;

	private volatile long missed;

	// Touched by this viewer's thread only.
	private long changeSeen = -1;

	private long droppedSent;

	// The last second whose rates this browser has, 0 for none.
	private long ratesSent;

	private long lastWrite = System.nanoTime();

	Viewer(String name, SseEmitter emitter, LiveEvents events, StreamChanges changes, EventRates rates,
			ArvadosEventSubscription subscription, Duration tick, Consumer<Viewer> onEnd) {
		this.name = name;
		this.emitter = emitter;
		this.events = events;
		this.changes = changes;
		this.rates = rates;
		this.subscription = subscription;
		this.tick = tick;
		this.onEnd = onEnd;
		// From now on: a new browser gets the events that come after it, as EventSource expects.
		this.eventSeen = events.last();
		this.handOffDroppedBefore = events.handOffDropped();
	}

	/**
	 * Send from a thread of the executor until the connection ends.
	 * @throws RejectedExecutionException if the executor takes no more tasks: the application stops
	 */
	void start(Executor senders) {
		this.emitter.onCompletion(this::close);
		this.emitter.onTimeout(this::close);
		this.emitter.onError((ex) -> close());
		senders.execute(this);
	}

	/** Stop sending, and end the connection: the application stops. */
	void finish() {
		close();
		this.emitter.complete();
	}

	// Noticed by the thread at its next tick; a write under way is not interrupted.
	private void close() {
		this.closed = true;
	}

	/** How many events this browser missed so far, including those that left the ring while it was not reading. */
	long dropped() {
		// The thread moves eventSeen before it adds to missed: a count taken in between is short, never double.
		long seen = this.eventSeen;
		return this.missed + this.events.gone(seen)
				+ Math.max(0, this.events.handOffDropped() - this.handOffDroppedBefore);
	}

	@Override
	public void run() {
		try {
			while (!this.closed) {
				send();
				Thread.sleep(this.tick.toMillis());
			}
		}
		catch (IOException | IllegalStateException ex) {
			// The browser went away, or the connection completed: the container tells the emitter as well.
		}
		catch (InterruptedException ex) {
			// The application stops; finish() ends the connection.
			Thread.currentThread().interrupt();
		}
		catch (RuntimeException ex) {
			// End the connection rather than leave it open with nothing sending; the browser's EventSource opens a
			// new one.
			logger.warn("The live page's sender for {} failed; closing it", this.name, ex);
			this.emitter.completeWithError(ex);
		}
		finally {
			this.closed = true;
			this.onEnd.accept(this);
			logger.debug("Closed {} after it dropped {} event(s)", this.name, dropped());
		}
	}

	private void send() throws IOException {
		sendState();
		LiveEvents.Batch batch = this.events.since(this.eventSeen);
		this.eventSeen = batch.last();
		this.missed += batch.missed();
		for (ArvadosEvent event : batch.events()) {
			send("arvados", Row.of(event));
		}
		sendRatesAndLag();
		long dropped = dropped();
		if (dropped != this.droppedSent) {
			send("dropped", new Dropped(dropped));
			this.droppedSent = dropped;
		}
		if (System.nanoTime() - this.lastWrite > HEARTBEAT.toNanos()) {
			this.emitter.send(SseEmitter.event().comment("still here"));
			this.lastWrite = System.nanoTime();
		}
	}

	// Once a second, when a second is over: its counts, and the lag and last event as they are now.
	private void sendRatesAndLag() throws IOException {
		EventRates.Window window = this.rates.since(this.ratesSent);
		if (window.to() < window.from()) {
			return;
		}
		send("rates", window);
		this.ratesSent = window.to();
		send("lag", Lag.of(this.subscription.oldestUnhandledEventAt(), this.subscription.state(), Instant.now()));
	}

	private void sendState() throws IOException {
		if (this.changeSeen < 0) {
			// The first tick: how the stream got here, then the stream as it is. Changes recorded from here on
			// follow; one may repeat the state.
			StreamChanges.History history = this.changes.history();
			this.changeSeen = history.last();
			send("history", History.of(history));
			send("state", State.of(this.subscription.state()));
			return;
		}
		List<Change> news = this.changes.since(this.changeSeen);
		if (!news.isEmpty()) {
			long reconnects = this.subscription.state().counts().reconnects();
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

	@Override
	public String toString() {
		return this.name;
	}

}

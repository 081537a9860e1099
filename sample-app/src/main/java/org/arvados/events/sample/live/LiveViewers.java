package org.arvados.events.sample.live;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

import org.arvados.events.subscription.ArvadosEventSubscription;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The browsers on the live page, at most {@code sample.live.max-viewers}: beyond that a new one is turned away
 * ({@link Full}, a 503). Each gets a thread of its own that sends to it, so that no servlet thread waits for events
 * and a browser that does not read holds up only its own thread. Stops before the web server's graceful shutdown (a
 * higher phase stops first) and completes every connection, which would otherwise hold the shutdown for its whole
 * timeout.
 */
// Why a thread per browser: SseEmitter writes block while the browser does not read, until the server's write
// timeout. On a pool shared by the browsers, two that stop reading held every other one up for that long. Java 17
// has no virtual threads, and non-blocking writes (a Servlet WriteListener) would mean writing the SSE framing and
// the async request's lifecycle by hand; with the number of browsers capped, a parked thread each is the simplest
// design in which no browser can hold up another.
@Component
@ConditionalOnProperty(name = "sample.live.enabled", matchIfMissing = true)
class LiveViewers implements SmartLifecycle {

	static final Duration TICK = Duration.ofMillis(100);

	// EventSource reconnects by itself when a connection ends; this only bounds how long one request lives.
	private static final Duration TIMEOUT = Duration.ofMinutes(30);

	private final LiveEvents events;

	private final ArvadosEventSubscription subscription;

	private final StreamChanges changes;

	private final EventRates rates;

	private final int maxViewers;

	// A place is taken before a browser's thread starts and given back when that thread is done with it, not when
	// the connection ends: a browser stuck in a write keeps its place until the write fails.
	private final Semaphore places;

	private final Set<Viewer> open = ConcurrentHashMap.newKeySet();

	private final AtomicInteger opened = new AtomicInteger();

	private volatile @Nullable ExecutorService senders;

	LiveViewers(LiveEvents events, ArvadosEventSubscription subscription, StreamChanges changes, EventRates rates,
			@Value("${sample.live.max-viewers:100}") int maxViewers) {
		if (maxViewers < 1) {
			throw new IllegalArgumentException("sample.live.max-viewers must be at least 1, not " + maxViewers);
		}
		this.events = events;
		this.subscription = subscription;
		this.changes = changes;
		this.rates = rates;
		this.maxViewers = maxViewers;
		this.places = new Semaphore(maxViewers);
	}

	/**
	 * A new browser.
	 * @throws Full if there are {@code sample.live.max-viewers} already
	 */
	SseEmitter open() {
		ExecutorService threads = this.senders;
		if (threads == null) {
			throw new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE, "The sample is stopping");
		}
		if (!this.places.tryAcquire()) {
			throw new Full(this.maxViewers);
		}
		SseEmitter emitter = new SseEmitter(TIMEOUT.toMillis());
		Viewer viewer = new Viewer("live-page-viewer-" + this.opened.incrementAndGet(), emitter, this.events,
				this.changes, this.rates, this.subscription, TICK, this::left);
		this.open.add(viewer);
		try {
			viewer.start(threads);
		}
		catch (RejectedExecutionException ex) {
			left(viewer);
			throw new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE, "The sample is stopping");
		}
		return emitter;
	}

	private void left(Viewer viewer) {
		if (this.open.remove(viewer)) {
			this.places.release();
		}
	}

	/** How many browsers are connected. */
	int size() {
		return this.open.size();
	}

	/** How many events the browsers connected now have missed because they fell behind. */
	long dropped() {
		return this.open.stream().mapToLong(Viewer::dropped).sum();
	}

	@Override
	public void start() {
		AtomicInteger threads = new AtomicInteger();
		this.senders = Executors.newCachedThreadPool((task) -> {
			Thread thread = new Thread(task, "live-page-sender-" + threads.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
	}

	@Override
	public void stop() {
		ExecutorService threads = this.senders;
		this.senders = null;
		this.open.forEach(Viewer::finish);
		if (threads != null) {
			threads.shutdownNow();
		}
	}

	@Override
	public boolean isRunning() {
		return this.senders != null;
	}

	/** Turned away: the page has as many browsers as {@code sample.live.max-viewers} allows. */
	static final class Full extends RuntimeException {

		Full(int maxViewers) {
			super("The live page has its " + maxViewers + " viewers already; try again later.");
		}

	}

}

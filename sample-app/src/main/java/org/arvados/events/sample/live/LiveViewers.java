package org.arvados.events.sample.live;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;

import org.arvados.events.pull.ArvadosEventListeners;
import org.arvados.events.pull.OverflowPolicy;
import org.arvados.events.pull.PullListener;
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
 * The browsers on the live page. Each gets a pull listener of its own and a pump on a small shared scheduler, so
 * no servlet thread waits for events and a quiet browser costs a task every {@link #TICK}. Stops before the web
 * server's graceful shutdown (a higher phase stops first) and completes every connection, which would otherwise
 * hold the shutdown for its whole timeout.
 */
@Component
@ConditionalOnProperty(name = "sample.live.enabled", matchIfMissing = true)
class LiveViewers implements SmartLifecycle {

	static final Duration TICK = Duration.ofMillis(100);

	// EventSource reconnects by itself when a connection ends; this only bounds how long one request lives.
	private static final Duration TIMEOUT = Duration.ofMinutes(30);

	private static final int THREADS = 2;

	private final ArvadosEventListeners listeners;

	private final ArvadosEventSubscription subscription;

	private final StreamChanges changes;

	private final int capacity;

	private final Set<Viewer> open = ConcurrentHashMap.newKeySet();

	private final AtomicInteger opened = new AtomicInteger();

	private volatile @Nullable ScheduledExecutorService scheduler;

	LiveViewers(ArvadosEventListeners listeners, ArvadosEventSubscription subscription, StreamChanges changes,
			@Value("${sample.live.capacity:100}") int capacity) {
		this.listeners = listeners;
		this.subscription = subscription;
		this.changes = changes;
		this.capacity = capacity;
	}

	SseEmitter open() {
		ScheduledExecutorService pumps = this.scheduler;
		if (pumps == null) {
			throw new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE, "The sample is stopping");
		}
		SseEmitter emitter = new SseEmitter(TIMEOUT.toMillis());
		// The page wants the latest events: when a browser falls behind, the oldest queued ones go, and it is told.
		PullListener events = this.listeners.select()
			.capacity(this.capacity)
			.whenFull(OverflowPolicy.DROP_OLDEST)
			.history(0)
			.name("live-page-" + this.opened.incrementAndGet())
			.open();
		Viewer viewer = new Viewer(emitter, events, this.changes, this.subscription::state, this.open::remove);
		this.open.add(viewer);
		try {
			viewer.start(pumps, TICK);
		}
		catch (RejectedExecutionException ex) {
			viewer.finish();
			throw new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE, "The sample is stopping");
		}
		return emitter;
	}

	/** How many browsers are connected. */
	int size() {
		return this.open.size();
	}

	@Override
	public void start() {
		AtomicInteger threads = new AtomicInteger();
		ScheduledThreadPoolExecutor pumps = new ScheduledThreadPoolExecutor(THREADS, (task) -> {
			Thread thread = new Thread(task, "live-page-pump-" + threads.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
		pumps.setRemoveOnCancelPolicy(true);
		this.scheduler = pumps;
	}

	@Override
	public void stop() {
		ScheduledExecutorService pumps = this.scheduler;
		this.scheduler = null;
		this.open.forEach(Viewer::finish);
		if (pumps != null) {
			pumps.shutdownNow();
		}
	}

	@Override
	public boolean isRunning() {
		return this.scheduler != null;
	}

}

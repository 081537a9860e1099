package org.arvados.events.benchmarks;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.arvados.events.ArvadosEvent;
import org.arvados.events.annotation.EventHandler;
import org.arvados.events.subscription.ArvadosEventSubscription;
import org.arvados.events.test.FakeArvadosCluster;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Issue 24: slow handlers at the cluster's rate. Handlers that take 20 ms (parked, as one waiting on I/O), over
 * 1,000 objects, a stream offered at a fixed rate by the fake cluster in this JVM: for each concurrency, the events
 * handled per second over the window, the lag at its end, the p99 from commit to handler, the heap after, and whether
 * every object's events came in commit order. Then the rate at concurrency 64 with the stream offered faster than
 * it can be handled.
 */
final class ConcurrencyBenchmark {

	private static final Duration WORK = Duration.ofMillis(20);

	private static final int OBJECTS = 1_000;

	private ConcurrencyBenchmark() {
	}

	/**
	 * One run.
	 * @param concurrency the starter's concurrency
	 * @param perSecond the offered rate
	 * @param window how long it is offered
	 * @return the figures
	 */
	static Map<String, Object> run(int concurrency, int perSecond, Duration window) throws Exception {
		try (FakeArvadosCluster cluster = FakeArvadosCluster.builder().token("benchmark").start()) {
			Sleeping handler = new Sleeping();
			Map<String, String> properties = new LinkedHashMap<>();
			properties.put("arvados.events.endpoint", cluster.endpoint());
			properties.put("arvados.events.token", "benchmark");
			properties.put("arvados.events.concurrency", Integer.toString(concurrency));
			properties.put("logging.level.org.arvados.events", "ERROR");
			try (ConfigurableApplicationContext context = BenchmarkApplication.start(handler, properties)) {
				BenchmarkApplication.awaitLive(context);
				ArvadosEventSubscription subscription = context.getBean(ArvadosEventSubscription.class);
				List<String> objects = new ArrayList<>();
				for (int i = 0; i < OBJECTS; i++) {
					objects.add(FakeArvadosCluster.uuid("4zz18"));
				}
				long periodNanos = 1_000_000_000L / perSecond;
				long total = window.toNanos() / periodNanos;
				long start = System.nanoTime();
				long handledBefore = handler.handled.get();
				for (long i = 0; i < total; i++) {
					long due = start + i * periodNanos;
					long wait = due - System.nanoTime();
					if (wait > 0) {
						LockSupport.parkNanos(wait);
					}
					long id = cluster.emit("update", objects.get((int) (i % OBJECTS)), Map.of()).id();
					handler.committedAt.put(id, System.nanoTime());
				}
				long end = System.nanoTime();
				long handled = handler.handled.get() - handledBefore;
				double rate = handled / ((end - start) / 1e9);
				java.time.Instant oldest = subscription.oldestUnhandledEventAt();
				double lagSeconds = (oldest != null)
						? Math.max(0, (System.currentTimeMillis() - oldest.toEpochMilli()) / 1000.0) : 0;
				long behind = total - handled;
				List<Long> latencies = new ArrayList<>(handler.latencies);
				Collections.sort(latencies);
				double p99 = latencies.isEmpty() ? 0 : latencies.get((int) (latencies.size() * 0.99)) / 1e6;
				System.gc();
				long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
				Map<String, Object> row = new LinkedHashMap<>();
				row.put("concurrency", concurrency);
				row.put("offeredPerSecond", perSecond);
				row.put("handledPerSecond", Math.round(rate));
				row.put("ofOffered", Math.round(rate / perSecond * 100) / 100.0);
				row.put("behindAtEnd", behind);
				row.put("lagSecondsAtEnd", Math.round(lagSeconds * 10) / 10.0);
				row.put("p99Millis", Math.round(p99));
				row.put("heapMiB", heap);
				row.put("inOrder", handler.outOfOrder.get() == 0);
				return row;
			}
		}
	}

	/** Works {@link #WORK} per event; checks each object's order and times commit to handler. */
	static final class Sleeping {

		final AtomicLong handled = new AtomicLong();

		final AtomicLong outOfOrder = new AtomicLong();

		final Map<Long, Long> committedAt = new ConcurrentHashMap<>();

		final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());

		private final Map<String, Long> lastOfObject = new ConcurrentHashMap<>();

		@EventHandler
		void on(ArvadosEvent event) {
			Long committed = this.committedAt.remove(event.id());
			if (committed != null) {
				this.latencies.add(System.nanoTime() - committed);
			}
			Long last = this.lastOfObject.put(event.objectUuid(), event.id());
			if (last != null && last > event.id()) {
				this.outOfOrder.incrementAndGet();
			}
			LockSupport.parkNanos(WORK.toNanos());
			this.handled.incrementAndGet();
		}

	}

}

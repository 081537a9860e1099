package org.arvados.events.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.arvados.events.ArvadosEvent;
import org.arvados.events.annotation.EventHandler;

/**
 * The handlers the benchmarks register: each does as little as its figure allows.
 */
final class Handlers {

	private Handlers() {
	}

	/** Counts; times the events after the warm-up, and the process's CPU over them. A handler, or called by one. */
	static final class Counting {

		final AtomicLong seen = new AtomicLong();

		final CountDownLatch done = new CountDownLatch(1);

		private final long warmUp;

		private final long total;

		private volatile long startNanos;

		private volatile long endNanos;

		private volatile long startCpu;

		private volatile long endCpu;

		Counting(long warmUp, long measured) {
			this.warmUp = warmUp;
			this.total = warmUp + measured;
		}

		@EventHandler
		void on(ArvadosEvent event) {
			count();
		}

		/** One more event. */
		void count() {
			long n = this.seen.incrementAndGet();
			if (n == this.warmUp) {
				this.startNanos = System.nanoTime();
				this.startCpu = TlsClients.cpuNanos();
			}
			if (n == this.total) {
				this.endNanos = System.nanoTime();
				this.endCpu = TlsClients.cpuNanos();
				this.done.countDown();
			}
		}

		/** The process's CPU time over the measured events. */
		long cpuNanos() {
			return this.endCpu - this.startCpu;
		}

		long await() throws InterruptedException {
			if (!this.done.await(10, TimeUnit.MINUTES)) {
				throw new IllegalStateException("Only " + this.seen.get() + " of " + this.total + " events arrived");
			}
			return this.endNanos - this.startNanos;
		}

		/** Once all have come: the {@code RESULT} of a TLS client, events, nanoseconds and CPU nanoseconds. */
		String awaitResult() throws InterruptedException {
			long nanos = await();
			return "{\"events\":" + (this.total - this.warmUp) + ",\"nanos\":" + nanos + ",\"cpuNanos\":" + cpuNanos()
					+ "}";
		}

	}

	/** Records the time from the server's write to this method, for the events after the warm-up. */
	static final class Latency {

		private final long firstMeasuredId;

		private final long[] nanos;

		private final CountDownLatch done = new CountDownLatch(1);

		private final LongSupplier clock;

		private int recorded;

		Latency(long firstMeasuredId, int measured) {
			this(firstMeasuredId, measured, BlastServer::now);
		}

		/** With the clock of {@code properties.sent}: another process's, when it is the same monotonic clock. */
		Latency(long firstMeasuredId, int measured, LongSupplier clock) {
			this.firstMeasuredId = firstMeasuredId;
			this.nanos = new long[measured];
			this.clock = clock;
		}

		@EventHandler
		void on(ArvadosEvent event) {
			long now = this.clock.getAsLong();
			record(event.id(), now, Long.parseLong((String) event.properties().get("sent")));
		}

		/** A frame of the feed read as text by a bare client: its id and send time found in it, no JSON parsed. */
		void recordText(String text, long now) {
			int sent = text.indexOf("\"sent\":\"");
			int id = text.indexOf("\"id\":");
			if (sent >= 0 && id >= 0) {
				record(Long.parseLong(text, id + 5, id + 13, 10), now, Long.parseLong(text, sent + 8, sent + 27, 10));
			}
		}

		void record(long id, long now, long sent) {
			if (id < this.firstMeasuredId || this.recorded == this.nanos.length) {
				return;
			}
			this.nanos[this.recorded++] = now - sent;
			if (this.recorded == this.nanos.length) {
				this.done.countDown();
			}
		}

		/** p50, p99, p99.9 and max in microseconds. */
		double[] awaitPercentiles() throws InterruptedException {
			if (!this.done.await(10, TimeUnit.MINUTES)) {
				throw new IllegalStateException("Only " + this.recorded + " latencies recorded");
			}
			long[] sorted = this.nanos.clone();
			Arrays.sort(sorted);
			return new double[] { at(sorted, 0.50), at(sorted, 0.99), at(sorted, 0.999), sorted[sorted.length - 1] / 1e3 };
		}

		/** Once all are recorded: the {@code RESULT} of a TLS latency client. */
		String awaitResult() throws InterruptedException {
			double[] p = awaitPercentiles();
			return String.format("{\"p50Micros\":%.0f,\"p99Micros\":%.0f,\"p999Micros\":%.0f,\"maxMicros\":%.0f}", p[0],
					p[1], p[2], p[3]);
		}

		private static double at(long[] sorted, double quantile) {
			return sorted[(int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1)] / 1e3;
		}

	}

	/** Counts, and at every tenth of the run has the JVM collect and notes the heap in use after it. */
	static final class HeapSampling {

		final long[] usedAfterGc;

		private final long step;

		private final AtomicLong seen = new AtomicLong();

		private final CountDownLatch done = new CountDownLatch(1);

		private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

		HeapSampling(long total, int samples) {
			this.usedAfterGc = new long[samples];
			this.step = total / samples;
		}

		@EventHandler
		void on(ArvadosEvent event) {
			count();
		}

		/** One more event. */
		void count() {
			long n = this.seen.incrementAndGet();
			if (n % this.step == 0) {
				int sample = (int) (n / this.step) - 1;
				this.usedAfterGc[sample] = usedAfterGc(this.memory);
				if (sample == this.usedAfterGc.length - 1) {
					this.done.countDown();
				}
			}
		}

		void await() throws InterruptedException {
			if (!this.done.await(10, TimeUnit.MINUTES)) {
				throw new IllegalStateException("Only " + this.seen.get() + " events arrived");
			}
		}

		static long usedAfterGc(MemoryMXBean memory) {
			System.gc();
			return memory.getHeapMemoryUsage().getUsed();
		}

	}

}

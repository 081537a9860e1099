package org.arvados.events.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.arvados.events.ArvadosEvent;
import org.arvados.events.annotation.EventHandler;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Events per second from the socket to an {@code @EventHandler}, through the real starter (Tomcat's WebSocket
 * client, decoder, resume position, queue, dispatcher, Spring's event multicaster), for small and large
 * Arvados-shaped events. The first half of each round warms the JIT; the second half is timed. When
 * {@code node} and the {@code ws} package are at hand ({@code benchmarks/run} installs it), a Node client that
 * parses every frame is timed against the same server in the same run, so the figures can be compared.
 * <p>
 * Usage: {@code java -jar benchmarks.jar [events-per-round]}
 */
@SpringBootApplication
public class ThroughputBenchmark {

	public static void main(String[] args) throws Exception {
		long small = (args.length > 0) ? Long.parseLong(args[0]) : 400_000;
		System.out.printf("Arvados events throughput, loopback, Java %s, %d cores%n", System.getProperty("java.version"),
				Runtime.getRuntime().availableProcessors());
		System.out.printf("%-14s %-10s %12s %12s %10s%n", "client", "event", "events", "events/s", "MiB/s");
		List<String> lines = new ArrayList<>();
		for (int padding : new int[] { 0, 20 * 1024 }) {
			long count = (padding == 0) ? small : small / 20;
			Result java = runJava(padding, count);
			lines.add(java.print("starter"));
			Result node = runNode(padding, count);
			if (node != null) {
				lines.add(node.print("node ws"));
				lines.add(String.format("%-14s %-10s %12s %11.2fx", "ratio", java.label(), "", java.rate() / node.rate()));
			}
			lines.forEach(System.out::println);
			lines.clear();
		}
		long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
		System.out.printf("heap in use at the end: %d MiB%n", heap >> 20);
	}

	private static Result runJava(int padding, long count) throws Exception {
		try (BlastServer server = new BlastServer(padding, count)) {
			server.serveOne();
			CountingHandler counter = new CountingHandler(count / 2);
			try (ConfigurableApplicationContext context = new SpringApplicationBuilder(ThroughputBenchmark.class)
				.web(WebApplicationType.NONE)
				.logStartupInfo(false)
				.initializers((ctx) -> ctx.getBeanFactory().registerSingleton("countingHandler", counter))
				.run("--arvados.events.endpoint=http://127.0.0.1:9", "--arvados.events.token=benchmark",
						"--arvados.events.websocket-url=ws://127.0.0.1:" + server.port() + "/websocket",
						"--logging.level.root=WARN", "--spring.main.banner-mode=off")) {
				if (!counter.done.await(10, TimeUnit.MINUTES)) {
					throw new IllegalStateException("Only " + counter.seen.get() + " of " + count + " events arrived");
				}
				return new Result(server.eventSize(), count / 2, counter.timedNanos());
			}
		}
	}

	private static Result runNode(int padding, long count) throws IOException, InterruptedException {
		Path script = Path.of("benchmarks", "node", "client.cjs");
		if (!Files.exists(script) || !Files.isDirectory(Path.of("benchmarks", "target", "node", "node_modules", "ws"))) {
			return null;
		}
		try (BlastServer server = new BlastServer(padding, count)) {
			server.serveOne();
			Process node = new ProcessBuilder("node", script.toString(), "ws://127.0.0.1:" + server.port() + "/websocket",
					Long.toString(count))
				.redirectErrorStream(true)
				.start();
			String output = new String(node.getInputStream().readAllBytes()).trim();
			if (node.waitFor() != 0) {
				System.out.println("node client failed: " + output);
				return null;
			}
			return new Result(server.eventSize(), count / 2, Long.parseLong(output));
		}
	}

	record Result(int eventSize, long events, long nanos) {

		double rate() {
			return this.events / (this.nanos / 1e9);
		}

		String label() {
			return (this.eventSize < 1024) ? this.eventSize + " B" : (this.eventSize / 1024) + " KiB";
		}

		String print(String client) {
			return String.format("%-14s %-10s %,12d %,12.0f %10.1f", client, label(), this.events, rate(),
					rate() * this.eventSize / (1 << 20));
		}

	}

	/** Counts events; times the second half of the round. */
	static final class CountingHandler {

		final AtomicLong seen = new AtomicLong();

		final CountDownLatch done = new CountDownLatch(1);

		private final long half;

		private volatile long startNanos;

		private volatile long endNanos;

		CountingHandler(long half) {
			this.half = half;
		}

		@EventHandler
		void on(ArvadosEvent event) {
			long n = this.seen.incrementAndGet();
			if (n == this.half) {
				this.startNanos = System.nanoTime();
			}
			else if (n == 2 * this.half) {
				this.endNanos = System.nanoTime();
				this.done.countDown();
			}
		}

		long timedNanos() {
			return this.endNanos - this.startNanos;
		}

	}

}

package org.arvados.events.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.arvados.events.benchmarks.BlastServer.Phase;
import org.arvados.events.test.FakeArvadosCluster;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * The benchmarks of issue #5, in one run: throughput against the raw limit, latency at fixed rates, heap while
 * streaming, polling catch-up, start-up cost. Prints a table and writes {@code benchmarks/results/latest.json}.
 * Nothing here is asserted: the figures are for people, and swing by a fifth on a shared two-core machine, so
 * compare the ratios taken in one run.
 * <p>
 * Usage: {@code java -jar benchmarks.jar [--quick] [throughput|latency|memory|polling|startup ...]} from the
 * project root ({@code benchmarks/run} does it); {@code --quick} streams 100,000 events where a full run streams
 * a million.
 */
public final class Benchmarks {

	private static final int LARGE_PADDING = 20 * 1024;

	/** The cost section's builds: this one, this one with handler retries off, the main before concurrency. */
	private static final List<String> COST_SIDES = List.of("current", "no-retry", "baseline");

	private final long events;

	private final List<String> sections;

	private final Map<String, Object> results = new LinkedHashMap<>();

	private final List<String> table = new ArrayList<>();

	private Benchmarks(long events, List<String> sections) {
		this.events = events;
		this.sections = sections;
	}

	public static void main(String[] args) throws Exception {
		if (args.length > 0 && args[0].equals("--child")) {
			TlsClients.main(args);
			return;
		}
		boolean quick = List.of(args).contains("--quick");
		List<String> sections = Stream.of(args).filter((arg) -> !arg.startsWith("--")).toList();
		new Benchmarks(quick ? 100_000 : 1_000_000,
				sections.isEmpty() ? List.of("tls", "throughput", "latency", "memory", "polling", "startup", "checkpoint",
						"concurrency", "cost", "kafka")
						: sections)
			.run();
	}

	private void run() throws Exception {
		this.results.put("machine", machine());
		line("Arvados events benchmarks: %s, %d cores, Java %s", this.results.get("machine") instanceof Map<?, ?> m
				? m.get("cpu") : "", Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
		try {
			runSections();
		}
		finally {
			StubApi.stop();
			// What was measured is kept, also when a later section fails.
			write();
		}
		System.out.println();
		this.table.forEach(System.out::println);
	}

	private void write() throws IOException {
		Path file = Path.of("benchmarks", "results", "latest.json");
		Files.createDirectories(file.getParent());
		Files.writeString(file, JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build()
			.writeValueAsString(this.results) + "\n");
		System.out.println("\nwritten to " + file);
	}

	private void runSections() throws Exception {
		for (String section : this.sections) {
			switch (section) {
				case "tls" -> tls();
				case "tls-latency" -> {
					try (TlsBenchmark tls = TlsBenchmark.create()) {
						tlsLatency(tls);
					}
				}
				case "throughput" -> throughput();
				case "latency" -> latency();
				case "memory" -> memory();
				case "polling" -> polling();
				case "startup" -> startup();
				case "checkpoint" -> checkpoint();
				case "concurrency" -> concurrency();
				case "cost" -> cost();
				case "kafka" -> kafka();
				default -> throw new IllegalArgumentException("No benchmark '" + section + "'");
			}
		}
	}

	// Issue 11: what users run. A TLS feed in its own process, and each client in its own process, alternating in
	// rounds: Node's ws client parsing every frame (the anchor), the starter through @EventHandler, the starter's
	// Tomcat client discarding frames. The median of the rounds, with CPU time per event; then latency over TLS.
	private void tls() throws Exception {
		int rounds = 3;
		List<Map<String, Object>> rows = new ArrayList<>();
		line("%nTLS, feed and each client in their own process (median of %d alternating rounds)", rounds);
		line("feed: %s", TlsBenchmark.framing());
		line("%-10s %-28s %12s %8s %14s", "event", "client", "events/s", "÷node", "CPU µs/event");
		try (TlsBenchmark tls = TlsBenchmark.create()) {
			for (int padding : new int[] { 0, LARGE_PADDING }) {
				long measured = (padding == 0) ? this.events : this.events / 10;
				// Each client is a fresh process: the warm-up must be long enough for the JIT to finish. For large events
				// 30,000 (two seconds) was not: a profile of the starter's client spent half its CPU in the compiler,
				// and with 200,000 the same client read 1.32x Node's events where it had read 0.88x.
				long warmUp = Math.max(measured / 2, (padding == 0) ? 300_000 : 200_000);
				Map<String, List<Double>> rates = new LinkedHashMap<>();
				Map<String, List<Double>> cpu = new LinkedHashMap<>();
				try (TlsBenchmark.Feed feed = tls.feed(padding, (warmUp + measured) + ":0")) {
					for (int round = 0; round < rounds; round++) {
						for (String client : tlsClients()) {
							Map<String, Object> result = tls.client(client, feed.port(), warmUp, measured);
							double nanos = ((Number) result.get("nanos")).doubleValue();
							rates.computeIfAbsent(client, (c) -> new ArrayList<>()).add(measured / (nanos / 1e9));
							cpu.computeIfAbsent(client, (c) -> new ArrayList<>())
								.add(((Number) result.get("cpuNanos")).doubleValue() / measured / 1e3);
						}
					}
				}
				String label = (padding == 0) ? "~640 B" : "~21 KiB";
				double node = median(rates.get("node"));
				for (String client : tlsClients()) {
					double rate = median(rates.get(client));
					line("%-10s %-28s %,12.0f %7.2fx %14.2f", label, TLS_LABELS.get(client), rate, rate / node,
							median(cpu.get(client)));
					rows.add(map("event", label, "client", client, "events", measured, "rounds", rates.get(client)
						.stream()
						.map(Benchmarks::round)
						.toList(), "perSecond", round(rate), "ratioToNode", round2(rate / node), "cpuMicrosPerEvent",
							round2(median(cpu.get(client)))));
				}
			}
			this.results.put("tls", rows);
			this.results.put("tlsFeedFraming", TlsBenchmark.framing());
			tlsLatency(tls);
		}
	}

	private static final Map<String, String> LATENCY_LABELS = Map.of("node-latency", "Node ws (anchor)", "latency",
			"starter (@EventHandler)", "latency-direct", "starter, dispatch=direct", "latency-netty",
			"starter, direct, client=netty", "raw-latency", "Tomcat client alone", "jdk-latency", "JDK client alone",
			"netty-latency", "Netty+BoringSSL alone");

	private static final Map<String, String> TLS_LABELS = Map.of("node", "Node ws, JSON.parse (anchor)", "node-count",
			"Node ws, count only", "starter",
			"starter (@EventHandler)", "starter-direct", "starter, dispatch=direct", "starter-netty",
			"starter, direct, client=netty", "starter-netty-jdk", "starter, netty over JDK TLS", "raw",
			"Tomcat client, discard", "jdk", "JDK client, discard", "netty", "Netty+BoringSSL, discard");

	// The targets of issue 11 are medians of three: each rate's clients run in alternating rounds, one feed per rate,
	// and each percentile is the median of its rounds (the rounds' own figures are in latest.json).
	private void tlsLatency(TlsBenchmark tls) throws Exception {
		int rounds = latencyRounds();
		List<Map<String, Object>> rows = new ArrayList<>();
		line("%n%-36s %10s %10s %10s %10s", "TLS latency, feed's write→handler", "p50 µs", "p99 µs", "p99.9 µs",
				"max µs");
		line("(median of %d alternating rounds)", rounds);
		for (int rate : latencyRates()) {
			long warmUp = 200_000;
			int measured = Math.min(rate * 5, 250_000);
			// A fast warm-up for the JIT, a pause to drain it, then ten seconds at the rate that are not counted: the
			// first of a paced stream after an idle spell is a transient, not what a steady stream sees. The JIT's log
			// (-Xlog:jit+compilation) of the starter's Netty client had the paced stream's hot path (BoringSSL's
			// unwrap, the frame decoder, the selector) deoptimised and compiled again up to seven seconds into it,
			// with the compiler's thread taking a core of two; two seconds, as before, measured that.
			long paced = latencySettleSeconds() * rate;
			Map<String, List<Map<String, Object>>> results = new LinkedHashMap<>();
			try (TlsBenchmark.Feed feed = tls.feed(0, warmUp + ":0,pause:2000," + (paced + measured) + ":" + rate)) {
				for (int round = 0; round < rounds; round++) {
					for (String client : latencyClients()) {
						results.computeIfAbsent(client, (c) -> new ArrayList<>())
							.add(tls.client(client, feed.port(), warmUp + paced, measured));
					}
				}
			}
			for (Map.Entry<String, List<Map<String, Object>>> client : results.entrySet()) {
				Map<String, Object> row = map("perSecond", rate, "client", client.getKey(), "events", measured);
				for (String percentile : List.of("p50Micros", "p99Micros", "p999Micros", "maxMicros")) {
					List<Double> values = client.getValue()
						.stream()
						.map((result) -> ((Number) result.get(percentile)).doubleValue())
						.toList();
					row.put(percentile, round(median(values)));
					row.put(percentile.replace("Micros", "Rounds"), values.stream().map(Benchmarks::round).toList());
				}
				line("%-36s %10s %10s %10s %10s", String.format("%,d/s %s", rate, LATENCY_LABELS.get(client.getKey())),
						row.get("p50Micros"), row.get("p99Micros"), row.get("p999Micros"), row.get("maxMicros"));
				rows.add(row);
			}
		}
		this.results.put("tlsLatency", rows);
	}

	// BENCH_LATENCY_RATES=10000 and BENCH_LATENCY_CLIENTS=latency,raw-latency narrow the section, to try a change.
	private static int[] latencyRates() {
		String rates = System.getenv("BENCH_LATENCY_RATES");
		return (rates == null || rates.isBlank()) ? new int[] { 1_000, 10_000, 50_000 }
				: Arrays.stream(rates.split(",")).mapToInt((rate) -> Integer.parseInt(rate.trim())).toArray();
	}

	// BENCH_LATENCY_SETTLE=2: seconds at the rate before the latencies are counted.
	private static long latencySettleSeconds() {
		return envInt("BENCH_LATENCY_SETTLE", 10);
	}

	// BENCH_LATENCY_ROUNDS=1 runs each latency client once, to try a change quickly; the targets are medians of three.
	private static int latencyRounds() {
		return envInt("BENCH_LATENCY_ROUNDS", 3);
	}

	private static int envInt(String name, int otherwise) {
		String value = System.getenv(name);
		return (value == null || value.isBlank()) ? otherwise : Integer.parseInt(value.trim());
	}

	// BENCH_TLS_CLIENTS=node,starter narrows the TLS throughput section the same way (Node stays: the ratios need it).
	private static List<String> tlsClients() {
		String clients = System.getenv("BENCH_TLS_CLIENTS");
		if (clients == null || clients.isBlank()) {
			return TlsBenchmark.CLIENTS;
		}
		List<String> chosen = new ArrayList<>(List.of("node"));
		Arrays.stream(clients.split(",")).map(String::trim).filter((client) -> !client.equals("node")).forEach(chosen::add);
		return chosen;
	}

	private static List<String> latencyClients() {
		String clients = System.getenv("BENCH_LATENCY_CLIENTS");
		return (clients == null || clients.isBlank())
				? List.of("node-latency", "latency", "latency-direct", "latency-netty", "raw-latency", "jdk-latency",
						"netty-latency")
				: Arrays.stream(clients.split(",")).map(String::trim).toList();
	}

	// 1 and 2: events/s from the socket to a counting @EventHandler, and the same client reading raw frames.
	private void throughput() throws Exception {
		List<Map<String, Object>> rows = new ArrayList<>();
		line("%n%-10s %-26s %14s %10s %10s", "event", "client", "events/s", "MiB/s", "starter÷");
		for (int padding : new int[] { 0, LARGE_PADDING }) {
			long warmUp = this.events / 2;
			int size;
			double starter;
			try (BlastServer server = new BlastServer(padding, warmUp + this.events)) {
				server.serveOneWhenLive();
				size = server.eventSize();
				Handlers.Counting counter = new Handlers.Counting(warmUp, this.events);
				try (ConfigurableApplicationContext context = BenchmarkApplication.start(counter,
						BenchmarkApplication.webSocket(server.port()))) {
					BenchmarkApplication.awaitLive(context);
					server.go();
					starter = rate(this.events, counter.await());
				}
			}
			double discard = raw(padding, false, warmUp);
			double decode = raw(padding, true, warmUp);
			String label = (size < 1024) ? size + " B" : (size / 1024) + " KiB";
			line("%-10s %-26s %,14.0f %10.1f %10s", label, "starter (@EventHandler)", starter, mib(starter, size), "");
			line("%-10s %-26s %,14.0f %10.1f %9.2fx", label, "raw (a) read, discard", discard, mib(discard, size),
					starter / discard);
			line("%-10s %-26s %,14.0f %10.1f %9.2fx", label, "raw (b) read, Jackson", decode, mib(decode, size),
					starter / decode);
			rows.add(map("eventBytes", size, "events", this.events, "starterPerSecond", round(starter),
					"rawDiscardPerSecond", round(discard), "rawJacksonPerSecond", round(decode), "ratioToDiscard",
					round2(starter / discard), "ratioToJackson", round2(starter / decode)));
		}
		this.results.put("throughput", rows);
	}

	// 6: the same stream with the position saved in a file and in PostgreSQL, as a ratio of the in-memory store, in
	// one run: the saves are on a thread of their own, once per checkpoint.interval (1 s).
	private void checkpoint() throws Exception {
		line("%n%-26s %14s %10s", "checkpoint store", "events/s", "÷memory");
		Path folder = Files.createTempDirectory("arvados-events-checkpoint");
		Map<String, Map<String, String>> stores = new java.util.LinkedHashMap<>();
		stores.put("memory", Map.of());
		stores.put("file", Map.of("arvados.events.checkpoint.file", folder.resolve("position.checkpoint").toString()));
		try (io.zonky.test.db.postgres.embedded.EmbeddedPostgres postgres = io.zonky.test.db.postgres.embedded.EmbeddedPostgres
			.start()) {
			stores.put("jdbc (PostgreSQL)", Map.of("spring.datasource.url", postgres.getJdbcUrl("postgres", "postgres"),
					"spring.datasource.type", "org.springframework.jdbc.datasource.SimpleDriverDataSource",
					"spring.integration.jdbc.initialize-schema", "always", "arvados.events.checkpoint.store", "jdbc",
					"arvados.events.checkpoint.key", "benchmark"));
			List<Map<String, Object>> rows = new ArrayList<>();
			double memory = 0;
			for (Map.Entry<String, Map<String, String>> store : stores.entrySet()) {
				long warmUp = this.events / 2;
				double rate;
				try (BlastServer server = new BlastServer(0, warmUp + this.events)) {
					server.serveOneWhenLive();
					Handlers.Counting counter = new Handlers.Counting(warmUp, this.events);
					Map<String, String> properties = new java.util.HashMap<>(BenchmarkApplication.webSocket(server.port()));
					properties.putAll(store.getValue());
					try (ConfigurableApplicationContext context = BenchmarkApplication.start(counter, properties)) {
						BenchmarkApplication.awaitLive(context);
						server.go();
						rate = rate(this.events, counter.await());
					}
				}
				memory = (memory == 0) ? rate : memory;
				line("%-26s %,14.0f %9.2fx", store.getKey(), rate, rate / memory);
				rows.add(map("store", store.getKey(), "events", this.events, "perSecond", round(rate), "ratioToMemory",
						round2(rate / memory)));
			}
			this.results.put("checkpoint", rows);
		}
	}

	private double raw(int padding, boolean decode, long warmUp) throws Exception {
		try (BlastServer server = new BlastServer(padding, warmUp + this.events)) {
			server.serveOne();
			return rate(this.events, new RawClient(decode, warmUp, this.events).run(server.port()));
		}
	}

	// 3: from the server's write to the handler's entry, at fixed rates, after a fast warm-up.
	private void latency() throws Exception {
		List<Map<String, Object>> rows = new ArrayList<>();
		line("%n%-12s %10s %10s %10s %10s %10s", "rate/s", "events", "p50 µs", "p99 µs", "p99.9 µs", "max µs");
		for (int rate : latencyRates()) {
			long warmUp = 200_000;
			int measured = Math.min(rate * 5, 250_000);
			try (BlastServer server = new BlastServer(0, List.of(new Phase(warmUp, 0), new Phase(measured, rate)))) {
				server.serveOneWhenLive();
				Handlers.Latency latency = new Handlers.Latency(BlastServer.firstId() + warmUp, measured);
				try (ConfigurableApplicationContext context = BenchmarkApplication.start(latency,
						BenchmarkApplication.webSocket(server.port()))) {
					BenchmarkApplication.awaitLive(context);
					server.go();
					double[] p = latency.awaitPercentiles();
					line("%-12s %10d %10.0f %10.0f %10.0f %10.0f", String.format("%,d", rate), measured, p[0], p[1],
							p[2], p[3]);
					rows.add(map("perSecond", rate, "events", measured, "p50Micros", round(p[0]), "p99Micros",
							round(p[1]), "p999Micros", round(p[2]), "maxMicros", round(p[3])));
				}
			}
		}
		this.results.put("latency", rows);
	}

	// 4: heap in use after a full GC, subscribed and idle, then at every tenth of a long stream.
	private void memory() throws Exception {
		long idle;
		try (BlastServer server = new BlastServer(0, 1)) {
			server.serveOneWhenLive();
			Handlers.Counting one = new Handlers.Counting(1, 0);
			try (ConfigurableApplicationContext context = BenchmarkApplication.start(one,
					BenchmarkApplication.webSocket(server.port()))) {
				BenchmarkApplication.awaitLive(context);
				server.go();
				one.await();
				idle = Handlers.HeapSampling.usedAfterGc(ManagementFactory.getMemoryMXBean());
			}
		}
		long total = this.events;
		Handlers.HeapSampling sampling = new Handlers.HeapSampling(total, 10);
		try (BlastServer server = new BlastServer(0, total)) {
			server.serveOneWhenLive();
			try (ConfigurableApplicationContext context = BenchmarkApplication.start(sampling,
					BenchmarkApplication.webSocket(server.port()))) {
				BenchmarkApplication.awaitLive(context);
				server.go();
				sampling.await();
			}
		}
		long[] samples = sampling.usedAfterGc;
		long max = 0;
		for (long sample : samples) {
			max = Math.max(max, sample);
		}
		long growth = samples[samples.length - 1] - samples[0];
		line("%nheap after GC: idle %d MiB; streaming %,d events, each tenth: %s MiB%n"
				+ "  max %d MiB above idle; last minus first %+d MiB", idle >> 20, total, mibList(samples),
				(max - idle) >> 20, growth >> 20);
		this.results.put("memory", map("events", total, "idleMiB", idle >> 20, "streamingMiB", toMiB(samples),
				"maxAboveIdleMiB", (max - idle) >> 20, "growthMiB", growth >> 20));
	}

	// 5: a backlog in the fake cluster, read through the logs list.
	private void polling() throws Exception {
		pollBacklog(20_000);
		int backlog = 100_000;
		double perSecond = pollBacklog(backlog);
		line("%npolling catch-up of %,d events through the fake cluster's logs list: %,.0f events/s", backlog, perSecond);
		this.results.put("polling", map("events", backlog, "perSecond", round(perSecond)));
	}

	private double pollBacklog(int backlog) throws Exception {
		try (FakeArvadosCluster cluster = FakeArvadosCluster.builder().token("benchmark").start()) {
			long first = -1;
			for (int i = 0; i < backlog; i++) {
				String collection = FakeArvadosCluster.uuid("4zz18");
				long id = cluster.emit("update", collection, Map.of("old_attributes", Map.of("name", "a" + i),
						"new_attributes", Map.of("name", "b" + i, "portable_data_hash",
								"d41d8cd98f00b204e9800998ecf8427e+0", "owner_uuid", "zzzzz-tpzed-xurymjxw79nv3jz")))
					.id();
				first = (first < 0) ? id : first;
			}
			Handlers.Counting counter = new Handlers.Counting(1, backlog - 1);
			try (ConfigurableApplicationContext context = BenchmarkApplication.start(counter,
					Map.of("arvados.events.endpoint", cluster.endpoint(), "arvados.events.token", "benchmark",
							"arvados.events.transport", "polling", "arvados.events.start-from", Long.toString(first),
							"arvados.events.polling.interval", "1h"))) {
				return rate(backlog - 1, counter.await());
			}
		}
	}

	// Issue 24: handlers of 20 ms over 1,000 objects at 400 events/s offered, for each concurrency; then concurrency 64
	// offered more than it can take.
	private void concurrency() throws Exception {
		java.time.Duration window = java.time.Duration.ofSeconds((this.events < 1_000_000) ? 15 : 60);
		line("%nhandlers of 20 ms, 1,000 objects, offered by the fake cluster in this JVM for %d s", window.toSeconds());
		line("%-12s %9s %10s %8s %10s %9s %8s %6s %9s", "concurrency", "offered/s", "handled/s", "÷offered",
				"behind", "lag s", "p99 ms", "heap", "in order");
		List<Map<String, Object>> rows = new ArrayList<>();
		for (int[] run : new int[][] { { 1, 400 }, { 4, 400 }, { 16, 400 }, { 64, 400 }, { 64, 3_000 } }) {
			Map<String, Object> row = ConcurrencyBenchmark.run(run[0], run[1], window);
			rows.add(row);
			line("%-12s %9s %10s %8s %10s %9s %8s %5sM %9s", row.get("concurrency"), row.get("offeredPerSecond"),
					row.get("handledPerSecond"), row.get("ofOffered"), row.get("behindAtEnd"), row.get("lagSecondsAtEnd"),
					row.get("p99Millis"), row.get("heapMiB"), row.get("inOrder"));
		}
		this.results.put("concurrency", rows);
	}

	// Issue 24: the cost per event at concurrency 1 (the default) against the main before concurrency, in the same
	// run: the starter of each build, each in its own process reading the TLS feed through a counting @EventHandler,
	// alternating, the median of five rounds. benchmarks/run builds the other side (BENCH_BASELINE). Issue 28: the
	// same with handler retries off, for what they cost a handler that does not throw.
	private void cost() throws Exception {
		String baseline = System.getProperty("bench.baseline");
		if (baseline == null) {
			line("%ncost per event: no baseline build; run it through benchmarks/run");
			return;
		}
		int rounds = 5;
		List<Map<String, Object>> rows = new ArrayList<>();
		line("%ncost per event at concurrency 1, this build against %s, over TLS (median of %d alternating rounds)",
				baseline, rounds);
		line("%-10s %-12s %12s %14s %10s", "event", "build", "events/s", "CPU µs/event", "CPU ÷base");
		line("(no-retry: this build with arvados.events.handler-retry.max-retries=0)");
		try (TlsBenchmark tls = TlsBenchmark.create()) {
			for (int padding : new int[] { 0, LARGE_PADDING }) {
				long measured = (padding == 0) ? this.events : this.events / 10;
				long warmUp = Math.max(measured / 2, (padding == 0) ? 300_000 : 200_000);
				Map<String, List<Double>> rates = new LinkedHashMap<>();
				Map<String, List<Double>> cpu = new LinkedHashMap<>();
				try (TlsBenchmark.Feed feed = tls.feed(padding, (warmUp + measured) + ":0")) {
					for (int round = 0; round < rounds; round++) {
						List<String> sides = new ArrayList<>(COST_SIDES);
						if (round % 2 == 1) {
							Collections.reverse(sides);
						}
						for (String side : sides) {
							// This build with handler retries off: what retries cost a handler that does not throw.
							Map<String, Object> result = side.equals("no-retry")
									? tls.client("starter@current", feed.port(), warmUp, measured,
											List.of("-Darvados.events.handler-retry.max-retries=0"))
									: tls.client("starter@" + side, feed.port(), warmUp, measured);
							rates.computeIfAbsent(side, (c) -> new ArrayList<>())
								.add(measured / (((Number) result.get("nanos")).doubleValue() / 1e9));
							cpu.computeIfAbsent(side, (c) -> new ArrayList<>())
								.add(((Number) result.get("cpuNanos")).doubleValue() / measured / 1e3);
						}
					}
				}
				String label = (padding == 0) ? "~640 B" : "~21 KiB";
				double base = median(cpu.get("baseline"));
				for (String side : COST_SIDES) {
					double perEvent = median(cpu.get(side));
					line("%-10s %-12s %,12.0f %14.2f %9.2fx", label, side, median(rates.get(side)), perEvent,
							perEvent / base);
					rows.add(map("event", label, "build", side.equals("baseline") ? baseline : side, "rounds",
							rates.get(side).stream().map(Benchmarks::round).toList(), "perSecond",
							round(median(rates.get(side))), "cpuMicrosPerEvent", round2(perEvent), "cpuRatioToBaseline",
							round2(perEvent / base), "cpuRounds", cpu.get(side).stream().map(Benchmarks::round2).toList()));
				}
			}
		}
		this.results.put("cost", rows);
	}

	// Issue 24: the Kafka path, from the cluster into a topic, beside the same stream into a counting handler.
	private void kafka() throws Exception {
		long measured = this.events / 10;
		line("%nfrom the fake cluster in this JVM, %,d events after %,d of warm-up, to a broker in this JVM", measured,
				measured / 2);
		line("%-28s %12s %12s %11s", "path", "concurrency", "events/s", "reconnects");
		List<Map<String, Object>> rows = KafkaBenchmark.run(measured);
		for (Map<String, Object> row : rows) {
			line("%-28s %12s %,12d %11s", row.get("path"), row.get("concurrency"), row.get("perSecond"),
					row.get("reconnects"));
		}
		this.results.put("kafka", rows);
	}

	// 6: the sample's own "Started ... in X seconds", with the starter and with its auto-configuration left out.
	private void startup() throws Exception {
		Path jar = Path.of("sample-app", "target", "sample-app-0.1.0-SNAPSHOT.jar");
		if (!Files.exists(jar)) {
			line("%nstart-up: %s is missing; build the sample first", jar);
			return;
		}
		String without = "--spring.autoconfigure.exclude=org.arvados.events.autoconfigure.ArvadosEventsAutoConfiguration,"
				+ "org.arvados.events.autoconfigure.ArvadosEventHandlerAutoConfiguration,"
				+ "org.arvados.events.autoconfigure.health.ArvadosEventsHealthContributorAutoConfiguration,"
				+ "org.arvados.events.autoconfigure.metrics.ArvadosEventsMetricsAutoConfiguration,"
				// The sample's own exclusion (application.yml), which a command-line list replaces.
				+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration";
		List<Double> with = new ArrayList<>();
		List<Double> withoutStarter = new ArrayList<>();
		startSample(jar, null);
		for (int i = 0; i < 3; i++) {
			with.add(startSample(jar, null));
			withoutStarter.add(startSample(jar, without));
		}
		double a = median(with);
		double b = median(withoutStarter);
		line("%nsample start-up (median of 3): with the starter %.2f s, without %.2f s, ratio %.2f", a, b, a / b);
		this.results.put("startup", map("withStarterSeconds", round2(a), "withoutStarterSeconds", round2(b), "ratio",
				round2(a / b)));
	}

	private static double startSample(Path jar, @Nullable String extra) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-jar", jar.toString(), "--server.port=0", "--spring.main.banner-mode=off",
				// The live page needs the starter's pull listeners: off in both runs, so they differ by the starter only.
				"--sample.live.enabled=false"));
		if (extra != null) {
			command.add(extra);
		}
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.environment().remove("ARVADOS_API_HOST");
		Process process = builder.start();
		Pattern started = Pattern.compile("Started SampleApplication in ([0-9.]+) seconds");
		try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			for (String line = out.readLine(); line != null; line = out.readLine()) {
				Matcher matcher = started.matcher(line);
				if (matcher.find()) {
					return Double.parseDouble(matcher.group(1));
				}
			}
			throw new IllegalStateException("The sample did not start");
		}
		finally {
			process.destroy();
			process.waitFor(20, TimeUnit.SECONDS);
		}
	}

	private static Map<String, Object> machine() throws IOException {
		String cpu = "unknown";
		Path cpuInfo = Path.of("/proc/cpuinfo");
		if (Files.exists(cpuInfo)) {
			cpu = Files.readAllLines(cpuInfo).stream()
				.filter((l) -> l.startsWith("model name"))
				.map((l) -> l.substring(l.indexOf(':') + 1).trim())
				.findFirst()
				.orElse(cpu);
		}
		return map("cpu", cpu, "cores", Runtime.getRuntime().availableProcessors(), "java",
				System.getProperty("java.version"), "os", System.getProperty("os.name") + " " + System.getProperty("os.version"),
				"maxHeapMiB", Runtime.getRuntime().maxMemory() >> 20, "at", Instant.now().toString());
	}

	private void line(String format, Object... args) {
		String text = String.format(format, args);
		this.table.add(text);
		System.out.println(text);
	}

	private static double rate(long events, long nanos) {
		return events / (nanos / 1e9);
	}

	private static double mib(double perSecond, int size) {
		return perSecond * size / (1 << 20);
	}

	private static String mibList(long[] samples) {
		StringBuilder text = new StringBuilder();
		for (long sample : samples) {
			text.append((text.length() > 0) ? " " : "").append(sample >> 20);
		}
		return text.toString();
	}

	private static List<Long> toMiB(long[] samples) {
		List<Long> list = new ArrayList<>();
		for (long sample : samples) {
			list.add(sample >> 20);
		}
		return list;
	}

	private static double median(List<Double> values) {
		List<Double> sorted = values.stream().sorted().toList();
		return sorted.get(sorted.size() / 2);
	}

	private static long round(double value) {
		return Math.round(value);
	}

	private static double round2(double value) {
		return Math.round(value * 100) / 100.0;
	}

	private static Map<String, Object> map(Object... keysAndValues) {
		Map<String, Object> map = new LinkedHashMap<>();
		for (int i = 0; i < keysAndValues.length; i += 2) {
			map.put((String) keysAndValues[i], keysAndValues[i + 1]);
		}
		return map;
	}

}

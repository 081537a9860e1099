package org.arvados.events.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The processes of the TLS benchmark: an independent feed (Node's {@code ws} server, {@code benchmarks/node/feed.cjs},
 * one {@code ws.send} per event) and each client in its own process, one at a time: Node's {@code ws} client parsing
 * every frame (the anchor) and only counting them (its floor), the starter through {@code @EventHandler}, the Tomcat
 * client the starter uses, reading and discarding, and the JDK's {@code java.net.http} WebSocket client doing the
 * same (the alternative measured against Tomcat's). Needs {@code node} with the {@code ws} package on
 * {@code NODE_PATH} and {@code openssl}, which {@code benchmarks/run} provides. {@code BENCH_JAVA} and
 * {@code BENCH_JAVA_OPTS} choose the JVM of the Java clients (another JDK, a profiler agent);
 * {@code BENCH_FEED_FRAMING=batch} the feed's framing of before (64 KiB writes of pre-framed bytes).
 */
final class TlsBenchmark implements AutoCloseable {

	/** The clients, in the order each round runs them. */
	static final List<String> CLIENTS = List.of("node", "node-count", "starter", "starter-direct", "starter-netty",
			"starter-netty-jdk", "raw", "jdk", "netty");

	private static final Path NODE_SCRIPTS = Path.of("benchmarks", "node");

	private static final Path JAR = Path.of("benchmarks", "target", "benchmarks-0.1.0-SNAPSHOT.jar");

	private final Path folder;

	private final Path certificate;

	private TlsBenchmark(Path folder) {
		this.folder = folder;
		this.certificate = folder.resolve("cert.pem");
	}

	/** A self-signed certificate for 127.0.0.1 in a temporary folder, which {@link #close()} removes. */
	static TlsBenchmark create() throws IOException, InterruptedException {
		Path folder = Files.createTempDirectory("arvados-events-tls");
		run(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
				"-keyout", folder.resolve("key.pem").toString(), "-out", folder.resolve("cert.pem").toString(), "-days",
				"1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"));
		return new TlsBenchmark(folder);
	}

	/**
	 * Start a feed.
	 * @param padding bytes of text added to each event's properties
	 * @param phases {@code COUNT:RATE,...} per connection; rate 0 is as fast as the client reads
	 */
	Feed feed(int padding, String phases) throws IOException {
		Process process = new ProcessBuilder(node(), NODE_SCRIPTS.resolve("feed.cjs").toString(), "--cert",
				this.certificate.toString(), "--key", this.folder.resolve("key.pem").toString(), "--padding",
				Integer.toString(padding), "--phases", phases, "--framing", batched() ? "batch" : "send")
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
		String first = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))
			.readLine();
		if (first == null || !first.startsWith("PORT ")) {
			process.destroyForcibly();
			throw new IllegalStateException("The Node feed did not start (is ws on NODE_PATH?): " + first);
		}
		return new Feed(process, Integer.parseInt(first.substring(5).trim()));
	}

	/**
	 * Run one client to the end of its events.
	 * @param client one of {@link #CLIENTS}, or {@code latency} (the starter's) or {@code node-latency}
	 * @return its {@code RESULT}: events, nanos, cpuNanos (or the latency percentiles)
	 */
	Map<String, Object> client(String client, int port, long warmUp, long measured) throws IOException,
			InterruptedException {
		return client(client, port, warmUp, measured, List.of());
	}

	/**
	 * Run one Java client with options for its JVM, such as {@code -Darvados.events.*} properties.
	 * @see #client(String, int, long, long)
	 */
	Map<String, Object> client(String client, int port, long warmUp, long measured, List<String> jvmOptions)
			throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		if (client.startsWith("node")) {
			command.addAll(List.of(node(), NODE_SCRIPTS.resolve("client.cjs").toString(), "--url",
					"wss://127.0.0.1:" + port + "/websocket", "--ca", this.certificate.toString(), "--warmup",
					Long.toString(warmUp), "--measured", Long.toString(measured)));
			if (client.equals("node-latency")) {
				command.addAll(List.of("--latency", "1"));
			}
			if (client.equals("node-count")) {
				command.addAll(List.of("--parse", "0"));
			}
		}
		else {
			String java = System.getenv().getOrDefault("BENCH_JAVA",
					Path.of(System.getProperty("java.home"), "bin", "java").toString());
			command.add(java);
			String options = System.getenv("BENCH_JAVA_OPTS");
			if (options != null && !options.isBlank()) {
				command.addAll(List.of(options.trim().split("\\s+")));
			}
			command.addAll(jvmOptions);
			// KIND@SIDE runs the client from another build's jar, which benchmarks/run extracted (the cost section).
			int at = client.indexOf('@');
			String kind = (at < 0) ? client : client.substring(0, at);
			String jar = (at < 0) ? JAR.toString() : System.getProperty("bench.jar." + client.substring(at + 1));
			if (jar == null) {
				throw new IllegalStateException("No jar for " + client + ": run the benchmarks with benchmarks/run");
			}
			command.addAll(List.of("-jar", jar, "--child", kind, Integer.toString(port),
					this.certificate.toString(), Long.toString(warmUp), Long.toString(measured)));
		}
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		List<String> output = new ArrayList<>();
		try (BufferedReader out = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			for (String line = out.readLine(); line != null; line = out.readLine()) {
				if (line.startsWith("RESULT ")) {
					return JsonMapper.shared().readValue(line.substring(7), new TypeReference<Map<String, Object>>() {
					});
				}
				output.add(line);
			}
		}
		finally {
			if (!process.waitFor(30, TimeUnit.SECONDS)) {
				process.destroyForcibly();
			}
		}
		throw new IllegalStateException("The " + client + " client gave no result:\n"
				+ String.join("\n", output.subList(Math.max(0, output.size() - 30), output.size())));
	}

	private static boolean batched() {
		return "batch".equals(System.getenv("BENCH_FEED_FRAMING"));
	}

	/** How the feed frames the bytes on the wire, for the tables. */
	static String framing() {
		return batched() ? "64 KiB writes of pre-framed messages (BENCH_FEED_FRAMING=batch), frames cut across records"
				: "one ws.send per event, waiting for 'drain' (writes alternate one message alone and what queued behind it,"
						+ " in 16 KiB TLS records)";
	}

	private static String node() {
		return System.getenv().getOrDefault("NODE", "node");
	}

	private static void run(List<String> command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (process.waitFor() != 0) {
			throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
		}
	}

	@Override
	public void close() throws IOException {
		try (var files = Files.list(this.folder)) {
			for (Path file : files.toList()) {
				Files.delete(file);
			}
		}
		Files.delete(this.folder);
	}

	/** A running feed, stopped on close. */
	record Feed(Process process, int port) implements AutoCloseable {

		@Override
		public void close() throws InterruptedException {
			this.process.destroy();
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
			}
		}

	}

}

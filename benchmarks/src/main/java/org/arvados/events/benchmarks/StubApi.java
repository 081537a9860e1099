package org.arvados.events.benchmarks;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The least REST API the starter needs before it opens a WebSocket: a discovery document and a user for the token;
 * its logs list is unavailable, so that the live path alone is measured. One per JVM, on a loopback port.
 */
final class StubApi {

	private static StubApi instance;

	private final HttpServer server;

	private StubApi() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.createContext("/discovery/v1/apis/arvados/v1/rest",
				(exchange) -> send(exchange, "{\"kind\":\"discovery#restDescription\",\"websocketUrl\":\"\"}"));
		this.server.createContext("/arvados/v1/users/current",
				(exchange) -> send(exchange, "{\"kind\":\"arvados#user\",\"uuid\":\"zzzzz-tpzed-000000000000000\"}"));
		// Unavailable: the start is "latest" without a known id, so no catch-up holds the blast's first events back
		// (the blast server serves one connection and its events are in no list).
		this.server.createContext("/arvados/v1/logs", (exchange) -> {
			exchange.sendResponseHeaders(503, -1);
			exchange.close();
		});
		this.server.start();
	}

	/** The API's base URL, starting it on first use. */
	static synchronized String endpoint() {
		if (instance == null) {
			try {
				instance = new StubApi();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		return "http://127.0.0.1:" + instance.server.getAddress().getPort();
	}

	/** Stop it, if started: its dispatcher thread would keep the JVM alive. */
	static synchronized void stop() {
		if (instance != null) {
			instance.server.stop(0);
			instance = null;
		}
	}

	private static void send(HttpExchange exchange, String json) throws IOException {
		byte[] body = json.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", "application/json");
		exchange.sendResponseHeaders(200, body.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(body);
		}
	}

}

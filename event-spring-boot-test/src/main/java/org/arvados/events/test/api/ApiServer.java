package org.arvados.events.test.api;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.arvados.events.test.format.Json;
import org.arvados.events.test.format.QueryString;
import org.arvados.events.test.store.LogStore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fake API server (controller plus RailsAPI): the discovery document, which tells clients
 * where the WebSocket server is, and the logs list used by poll fallback and catch-up, with
 * switches to revoke the token and to fail requests.
 */
public final class ApiServer implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(ApiServer.class);

	private static final String DISCOVERY_PATH = "/discovery/v1/apis/arvados/v1/rest";

	private static final String LOGS_PATH = "/arvados/v1/logs";

	private static final String CURRENT_USER_PATH = "/arvados/v1/users/current";

	/** {@code arvados_api_token.rb}: the header forms a token may come in. */
	private static final Pattern AUTHORIZATION = Pattern.compile("(OAuth2|Bearer) ([!-~]+)");

	private final HttpServer server;

	private final ExecutorService executor;

	private final LogStore store;

	private final String token;

	private final int maxItemsPerResponse;

	private final String endpoint;

	private final Map<String, Object> discovery;

	private final AtomicBoolean tokenRevoked = new AtomicBoolean();

	private final AtomicInteger failuresLeft = new AtomicInteger();

	private final AtomicInteger currentUserRequests = new AtomicInteger();

	private volatile int failureStatus = 500;

	private volatile long listDelayMillis;

	private final List<Map<String, String>> listRequests = new CopyOnWriteArrayList<>();

	private ApiServer(LogStore store, String token, String websocketUrl, @Nullable SSLContext tls,
			int maxItemsPerResponse) throws IOException {
		this.store = store;
		this.token = token;
		this.maxItemsPerResponse = maxItemsPerResponse;
		InetSocketAddress loopback = new InetSocketAddress("127.0.0.1", 0);
		if (tls != null) {
			HttpsServer https = HttpsServer.create(loopback, 0);
			https.setHttpsConfigurator(new HttpsConfigurator(tls));
			this.server = https;
		}
		else {
			this.server = HttpServer.create(loopback, 0);
		}
		this.executor = Executors.newCachedThreadPool((task) -> {
			Thread thread = new Thread(task, "fake-arvados-api");
			thread.setDaemon(true);
			return thread;
		});
		this.server.setExecutor(this.executor);
		this.server.createContext("/", this::handle);
		this.endpoint = ((tls != null) ? "https" : "http") + "://127.0.0.1:" + this.server.getAddress().getPort();
		this.discovery = DiscoveryDocument.of(this.endpoint, websocketUrl, maxItemsPerResponse);
		this.server.start();
	}

	/**
	 * Starts an API server on a free loopback port.
	 * @param websocketUrl what discovery advertises; {@code ""} for a cluster without WebSocket
	 */
	public static ApiServer start(LogStore store, String token, String websocketUrl, @Nullable SSLContext tls) {
		return start(store, token, websocketUrl, tls, LogsQuery.MAX_ITEMS_PER_RESPONSE);
	}

	/**
	 * Starts an API server on a free loopback port whose list answers at most {@code maxItemsPerResponse} items,
	 * as a cluster with {@code API.MaxItemsPerResponse} set.
	 * @param websocketUrl what discovery advertises; {@code ""} for a cluster without WebSocket
	 * @param maxItemsPerResponse the cap on {@code limit}, said in each list envelope and in discovery
	 */
	public static ApiServer start(LogStore store, String token, String websocketUrl, @Nullable SSLContext tls,
			int maxItemsPerResponse) {
		if (maxItemsPerResponse < 1) {
			throw new IllegalArgumentException("maxItemsPerResponse must be positive: " + maxItemsPerResponse);
		}
		try {
			return new ApiServer(store, token, websocketUrl, tls, maxItemsPerResponse);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start the fake API server", ex);
		}
	}

	/** The API base URL, {@code http://127.0.0.1:PORT}. */
	public String endpoint() {
		return this.endpoint;
	}

	public void revokeToken() {
		this.tokenRevoked.set(true);
	}

	public void restoreToken() {
		this.tokenRevoked.set(false);
	}

	public void failListRequests(int count, int status) {
		this.failureStatus = status;
		this.failuresLeft.set(count);
	}

	public void delayListRequests(long millis) {
		this.listDelayMillis = millis;
	}

	/** Heal the faults injected here and forget the requests recorded (counts go on). */
	public void reset() {
		this.tokenRevoked.set(false);
		this.failuresLeft.set(0);
		this.listDelayMillis = 0;
		this.listRequests.clear();
	}

	/** The query parameters of every list request so far, failed ones included, in order. */
	public List<Map<String, String>> listRequests() {
		return List.copyOf(this.listRequests);
	}

	@Override
	public void close() {
		this.server.stop(0);
		this.executor.shutdownNow();
	}

	private void handle(HttpExchange exchange) throws IOException {
		String path = exchange.getRequestURI().getRawPath();
		String method = exchange.getRequestMethod();
		try {
			if (path.equals(DISCOVERY_PATH) && (method.equals("GET") || method.equals("POST"))) {
				send(exchange, 200, this.discovery);
			}
			else if (path.equals(CURRENT_USER_PATH) && method.equals("GET")) {
				send(exchange, 200, currentUser(exchange, QueryString.parse(exchange.getRequestURI().getRawQuery())));
			}
			else if (path.equals(LOGS_PATH) && method.equals("GET")) {
				send(exchange, 200, listLogs(exchange, QueryString.parse(exchange.getRequestURI().getRawQuery())));
			}
			else if (path.equals(LOGS_PATH) && method.equals("POST")) {
				// Rack::MethodOverride: a long query sent as a form with _method=GET, as googleapiclient does.
				Map<String, String> form = QueryString
					.parse(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
				if (!"GET".equals(form.get("_method"))) {
					throw new ApiException(404, "Path not found");
				}
				send(exchange, 200, listLogs(exchange, form));
			}
			else {
				throw new ApiException(404, "Path not found");
			}
		}
		catch (ApiException ex) {
			send(exchange, ex.status(), ex.body());
		}
		catch (RuntimeException ex) {
			logger.error("Fake API server failed on {} {}", method, path, ex);
			send(exchange, 500, new ApiException(500, "Internal Server Error").body());
		}
		finally {
			exchange.close();
		}
	}

	private Map<String, Object> listLogs(HttpExchange exchange, Map<String, String> parameters) {
		this.listRequests.add(parameters);
		long delay = this.listDelayMillis;
		if (delay > 0) {
			try {
				Thread.sleep(delay);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new ApiException(500, "Interrupted");
			}
		}
		if (this.failuresLeft.getAndUpdate((left) -> Math.max(0, left - 1)) > 0) {
			throw ApiException.injected(this.failureStatus);
		}
		if (this.tokenRevoked.get() || !this.token.equals(requestToken(exchange, parameters))) {
			throw new ApiException(401, "Not logged in");
		}
		return LogsResponse.list(this.store, LogsQuery.parse(parameters, this.maxItemsPerResponse));
	}

	// What arvados-ws and every SDK ask to check a token: the user it belongs to, or 401.
	private Map<String, Object> currentUser(HttpExchange exchange, Map<String, String> parameters) {
		this.currentUserRequests.incrementAndGet();
		if (this.tokenRevoked.get() || !this.token.equals(requestToken(exchange, parameters))) {
			throw new ApiException(401, "Not logged in");
		}
		return Map.of("kind", "arvados#user", "uuid", "zzzzz-tpzed-000000000000000", "is_active", true);
	}

	/** How many times {@code users/current} was asked, whatever the answer. */
	public int currentUserRequests() {
		return this.currentUserRequests.get();
	}

	private static @Nullable String requestToken(HttpExchange exchange, Map<String, String> parameters) {
		String fromParameter = parameters.getOrDefault("api_token", parameters.get("oauth_token"));
		if (fromParameter != null) {
			return fromParameter;
		}
		String header = exchange.getRequestHeaders().getFirst("Authorization");
		Matcher matcher = (header != null) ? AUTHORIZATION.matcher(header) : null;
		return (matcher != null && matcher.find()) ? matcher.group(2) : null;
	}

	private static void send(HttpExchange exchange, int status, Object body) throws IOException {
		byte[] json = Json.RAILS.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
		exchange.sendResponseHeaders(status, json.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(json);
		}
	}

}

package org.arvados.events.autoconfigure;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.arvados.events.filter.EventFilter;
import org.arvados.events.subscription.Transport;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of the Arvados event stream.
 */
@ConfigurationProperties("arvados.events")
public class ArvadosEventsProperties {

	/**
	 * Whether to follow the cluster's events.
	 */
	private boolean enabled = true;

	/**
	 * Base URL of the Arvados API, e.g. https://zzzzz.example.org. Defaults to the ARVADOS_API_HOST environment
	 * variable, where a bare host[:port] means https.
	 */
	private @Nullable String endpoint;

	/**
	 * Arvados API token. Defaults to the ARVADOS_API_TOKEN environment variable.
	 */
	private @Nullable String token;

	/**
	 * WebSocket URL of the event server, e.g. wss://ws.zzzzz.example.org/websocket. Defaults to the websocketUrl
	 * the cluster's discovery document advertises.
	 */
	private @Nullable URI websocketUrl;

	/**
	 * Whether to trust any TLS certificate and host name. Defaults to the ARVADOS_API_HOST_INSECURE environment
	 * variable. For test clusters only.
	 */
	private @Nullable Boolean insecure;

	/**
	 * Arvados filters, each an attribute, an operator and an operand, e.g. attribute=event_type, operator=in,
	 * operand=create,update. Sent to the server and applied again to every event, because the WebSocket server
	 * honours only 'event_type in' and 'created_at' filters.
	 */
	private List<EventFilter> filters = new ArrayList<>();

	/**
	 * Where to start: 'latest' (events from now on), 'checkpoint' (after the saved position, else latest) or an
	 * event id to start from.
	 */
	private String startFrom = "latest";

	/**
	 * Largest message accepted from the server. Larger ones are skipped and logged as an error.
	 */
	private DataSize maxMessageSize = DataSize.ofMegabytes(64);

	/**
	 * How many received events may wait for their handlers. When full, reading from the server pauses.
	 */
	private int queueCapacity = 256;

	/**
	 * How long a connection may stay silent before it is presumed dead and replaced. The server sends a
	 * keepalive every 60 seconds.
	 */
	private Duration heartbeatTimeout = Duration.ofSeconds(150);

	/**
	 * How long to wait for a missing event id (a transaction that committed later than a higher id) before giving
	 * it up as rolled back or not visible.
	 */
	private Duration gapTimeout = Duration.ofMinutes(1);

	/**
	 * Most missing-id ranges to track; beyond it the oldest are given up.
	 */
	private int maxGaps = 10_000;

	/**
	 * Which transport carries the events: 'auto' (WebSocket, polling while the WebSocket is unavailable),
	 * 'websocket' or 'polling'. Defaults to 'polling' when ARVADOS_DISABLE_WEBSOCKETS is true, else 'auto'.
	 */
	private @Nullable Transport transport;

	/**
	 * Failed WebSocket attempts in a row after which 'auto' falls back to polling. A cluster that advertises no
	 * websocketUrl falls back at once.
	 */
	private int websocketAttempts = 3;

	/**
	 * While 'auto' is polling, how often to try the WebSocket again.
	 */
	private Duration websocketRetryInterval = Duration.ofMinutes(1);

	/**
	 * Wait between polls of the logs list once a poll has reached the newest event. A full page is followed at
	 * once by the next.
	 */
	private Duration pollInterval = Duration.ofSeconds(15);

	/**
	 * Most events asked for in one page of the logs list. The server caps it at its MaxItemsPerResponse (1000 by
	 * default).
	 */
	private int pollLimit = 1000;

	/**
	 * How far back 'latest' looks for the newest matching event to start after.
	 */
	private Duration pollInitialWindow = Duration.ofHours(2);

	private final Reconnect reconnect = new Reconnect();

	private final Health health = new Health();

	private final Ssl ssl = new Ssl();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public @Nullable String getEndpoint() {
		return this.endpoint;
	}

	public void setEndpoint(@Nullable String endpoint) {
		this.endpoint = endpoint;
	}

	public @Nullable String getToken() {
		return this.token;
	}

	public void setToken(@Nullable String token) {
		this.token = token;
	}

	public @Nullable URI getWebsocketUrl() {
		return this.websocketUrl;
	}

	public void setWebsocketUrl(@Nullable URI websocketUrl) {
		this.websocketUrl = websocketUrl;
	}

	public @Nullable Boolean getInsecure() {
		return this.insecure;
	}

	public void setInsecure(@Nullable Boolean insecure) {
		this.insecure = insecure;
	}

	public List<EventFilter> getFilters() {
		return this.filters;
	}

	public void setFilters(List<EventFilter> filters) {
		this.filters = filters;
	}

	public String getStartFrom() {
		return this.startFrom;
	}

	public void setStartFrom(String startFrom) {
		this.startFrom = startFrom;
	}

	public DataSize getMaxMessageSize() {
		return this.maxMessageSize;
	}

	public void setMaxMessageSize(DataSize maxMessageSize) {
		this.maxMessageSize = maxMessageSize;
	}

	public int getQueueCapacity() {
		return this.queueCapacity;
	}

	public void setQueueCapacity(int queueCapacity) {
		this.queueCapacity = queueCapacity;
	}

	public Duration getHeartbeatTimeout() {
		return this.heartbeatTimeout;
	}

	public void setHeartbeatTimeout(Duration heartbeatTimeout) {
		this.heartbeatTimeout = heartbeatTimeout;
	}

	public Duration getGapTimeout() {
		return this.gapTimeout;
	}

	public void setGapTimeout(Duration gapTimeout) {
		this.gapTimeout = gapTimeout;
	}

	public int getMaxGaps() {
		return this.maxGaps;
	}

	public void setMaxGaps(int maxGaps) {
		this.maxGaps = maxGaps;
	}

	public @Nullable Transport getTransport() {
		return this.transport;
	}

	public void setTransport(@Nullable Transport transport) {
		this.transport = transport;
	}

	public int getWebsocketAttempts() {
		return this.websocketAttempts;
	}

	public void setWebsocketAttempts(int websocketAttempts) {
		this.websocketAttempts = websocketAttempts;
	}

	public Duration getWebsocketRetryInterval() {
		return this.websocketRetryInterval;
	}

	public void setWebsocketRetryInterval(Duration websocketRetryInterval) {
		this.websocketRetryInterval = websocketRetryInterval;
	}

	public Duration getPollInterval() {
		return this.pollInterval;
	}

	public void setPollInterval(Duration pollInterval) {
		this.pollInterval = pollInterval;
	}

	public int getPollLimit() {
		return this.pollLimit;
	}

	public void setPollLimit(int pollLimit) {
		this.pollLimit = pollLimit;
	}

	public Duration getPollInitialWindow() {
		return this.pollInitialWindow;
	}

	public void setPollInitialWindow(Duration pollInitialWindow) {
		this.pollInitialWindow = pollInitialWindow;
	}

	public Ssl getSsl() {
		return this.ssl;
	}

	public Health getHealth() {
		return this.health;
	}

	public Reconnect getReconnect() {
		return this.reconnect;
	}

	/**
	 * Waits between connection attempts: exponential, with jitter, without end.
	 */
	public static class Reconnect {

		/**
		 * Wait before the first reconnect attempt.
		 */
		private Duration initialInterval = Duration.ofMillis(200);

		/**
		 * Longest wait between attempts.
		 */
		private Duration maxInterval = Duration.ofSeconds(15);

		/**
		 * Factor by which the wait grows after each failed attempt.
		 */
		private double multiplier = 2.0;

		/**
		 * Random variation added to or taken from each wait, so that many clients do not reconnect in step.
		 */
		private Duration jitter = Duration.ofMillis(100);

		public Duration getInitialInterval() {
			return this.initialInterval;
		}

		public void setInitialInterval(Duration initialInterval) {
			this.initialInterval = initialInterval;
		}

		public Duration getMaxInterval() {
			return this.maxInterval;
		}

		public void setMaxInterval(Duration maxInterval) {
			this.maxInterval = maxInterval;
		}

		public double getMultiplier() {
			return this.multiplier;
		}

		public void setMultiplier(double multiplier) {
			this.multiplier = multiplier;
		}

		public Duration getJitter() {
			return this.jitter;
		}

		public void setJitter(Duration jitter) {
			this.jitter = jitter;
		}

	}

	/**
	 * The actuator health contributor 'arvadosEvents'.
	 */
	public static class Health {

		/**
		 * How long events may stop flowing (no transport works) before the health is DOWN; until then it is
		 * UNKNOWN.
		 */
		private Duration downAfter = Duration.ofMinutes(5);

		public Duration getDownAfter() {
			return this.downAfter;
		}

		public void setDownAfter(Duration downAfter) {
			this.downAfter = downAfter;
		}

	}

	/**
	 * TLS towards the cluster.
	 */
	public static class Ssl {

		/**
		 * Name of the Spring Boot SSL bundle (spring.ssl.bundle.*) whose trust material verifies the cluster,
		 * for both the WebSocket and the REST API; e.g. one holding a private CA. Defaults to the JDK's trust
		 * store.
		 */
		private @Nullable String bundle;

		public @Nullable String getBundle() {
			return this.bundle;
		}

		public void setBundle(@Nullable String bundle) {
			this.bundle = bundle;
		}

	}

}

package org.arvados.events.autoconfigure;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.arvados.events.dispatch.DispatchMode;
import org.arvados.events.filter.EventFilter;
import org.arvados.events.subscription.StartFrom;
import org.arvados.events.subscription.Transport;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.Name;
import org.springframework.boot.convert.Delimiter;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Configuration of the Arvados event stream.
 * <p>
 * Values are checked while they are bound, so that a bad one stops start-up with Boot's binding report (property,
 * value, where it was set, reason) rather than with a stack trace from a bean method: each setter refuses a value
 * out of range, and {@link #validate} (Boot applies a properties class that is a {@link Validator} to itself)
 * checks the values that depend on each other.
 */
@ConfigurationProperties("arvados.events")
public class ArvadosEventsProperties implements Validator, BeanClassLoaderAware {

	private static final DataSize MAX_MESSAGE_SIZE = DataSize.ofBytes(Integer.MAX_VALUE);

	// A wait of more than a year is a slip of the finger, and nanoseconds of a year (3.2e16) stay far from
	// overflow (9.2e18, about 292 years) even when added to a clock reading or multiplied by the back-off.
	private static final Duration MAX_DURATION = Duration.ofDays(365);

	private static final String MAX_DURATION_TEXT = "365d";

	// The dispatcher's queue is an array of this many slots, allocated at start.
	private static final int MAX_QUEUE_CAPACITY = 1_000_000;

	private static final int MAX_CONCURRENCY = 1024;

	private static final String NETTY_CLIENT_CLASS = "io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler";

	private @Nullable ClassLoader classLoader = ArvadosEventsProperties.class.getClassLoader();

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
	 * Whether to turn off what keeps the token safe, for test clusters only: the check of the server's certificate
	 * chain, the check that the certificate names the host, the refusal of a plain ws:// WebSocket URL under an
	 * https:// API, and the refusal of a plain http:// or ws:// URL to another host than loopback. Defaults to the
	 * ARVADOS_API_HOST_INSECURE environment variable.
	 */
	private @Nullable Boolean insecure;

	/**
	 * Arvados filters, written as Arvados writes them, e.g. [[event_type, in, [create, update]], [object_uuid,
	 * is_a, arvados#collection]], as a JSON string of the same, or each with an attribute, an operator and an
	 * operand. Sent to the server and applied again to every event, because the WebSocket server honours only
	 * 'event_type in' and 'created_at' filters.
	 */
	private List<Filter> filters = new ArrayList<>();

	/**
	 * Where to start: 'latest' (events from now on), 'checkpoint' (after the saved position, else latest), an
	 * event id to start from, or a time: an instant (2026-11-28T00:00:00Z) or a duration before the start (1h,
	 * 30m, at most 36500d), from the first event created then. A time, like 'checkpoint', resumes after the saved
	 * position when there is one. Defaults to 'checkpoint' with a durable checkpoint store, else 'latest'.
	 */
	private @Nullable StartFrom startFrom;

	/**
	 * A catch-up through the logs list that takes longer than this is announced with a CaughtUpEvent once it
	 * is done, as the first one of each start (the history) always is. At most 365 days.
	 */
	private Duration caughtUpThreshold = Duration.ofSeconds(10);

	/**
	 * Which transport carries the events: 'auto' (WebSocket, polling while the WebSocket is unavailable),
	 * 'websocket' or 'polling'. Defaults to 'polling' when ARVADOS_DISABLE_WEBSOCKETS is true, else 'auto'.
	 */
	private @Nullable Transport transport;

	/**
	 * How many received events may wait for their handlers. When full, reading from the server pauses. From 1 to
	 * 1000000: the queue is allocated whole at start, one slot per event.
	 */
	private int queueCapacity = 256;

	/**
	 * How large the events waiting for their handlers, and the one being handled, may be together, counted in
	 * characters of their JSON (as websocket.max-message-size is). When full, reading from the server pauses; an
	 * event larger than this waits until nothing else does, and then passes alone. Each waiting event holds its
	 * JSON (1 byte a character, 2 beyond Latin-1); the one being handled up to ~20 times its properties' size more
	 * once a handler reads them.
	 */
	private DataSize queueMaxSize = DataSize.ofMegabytes(64);

	/**
	 * How events reach the handlers: 'queued', through the bounded queue to one dispatching thread, so that the
	 * socket reader never runs a handler; or 'direct': an event received over WebSocket while nothing is queued or
	 * being handled is handled on the socket reader's thread, without the hand-off (the lowest latency; reading
	 * pauses while a handler runs). Either way one at a time and in order.
	 */
	private DispatchMode dispatch = DispatchMode.QUEUED;

	/**
	 * How many threads run the handlers. 1 runs them one event at a time, in order. More run the events of one
	 * object (object_uuid; events without one count as one object) one at a time in the order received, and those of
	 * different objects in parallel; queue-capacity more events may then be handed to those threads, at most a
	 * quarter of them of one object. The position still moves only past events whose handlers returned (and whose
	 * acknowledgments came). From 1 to 1024; 'direct' dispatch takes 1.
	 */
	private int concurrency = 1;

	private final WebSocket websocket = new WebSocket();

	private final Polling polling = new Polling();

	private final Gaps gaps = new Gaps();

	private final Reconnect reconnect = new Reconnect();

	private final Health health = new Health();

	private final Ssl ssl = new Ssl();

	private final Checkpoint checkpoint = new Checkpoint();

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
		String problem = PropertiesArvadosConnectionDetails.endpointProblem(endpoint);
		if (problem != null) {
			throw new IllegalArgumentException(problem);
		}
		this.endpoint = endpoint;
	}

	public @Nullable String getToken() {
		return this.token;
	}

	public void setToken(@Nullable String token) {
		this.token = token;
	}

	public @Nullable Boolean getInsecure() {
		return this.insecure;
	}

	public void setInsecure(@Nullable Boolean insecure) {
		this.insecure = insecure;
	}

	public List<Filter> getFilters() {
		return this.filters;
	}

	public void setFilters(List<Filter> filters) {
		this.filters = filters;
	}

	/**
	 * The filters to send and apply.
	 * @return the filters, in the order they were configured
	 */
	public List<EventFilter> toEventFilters() {
		return this.filters.stream().map(Filter::toEventFilter).toList();
	}

	public @Nullable StartFrom getStartFrom() {
		return this.startFrom;
	}

	public void setStartFrom(@Nullable StartFrom startFrom) {
		this.startFrom = startFrom;
	}

	public Duration getCaughtUpThreshold() {
		return this.caughtUpThreshold;
	}

	public void setCaughtUpThreshold(Duration caughtUpThreshold) {
		this.caughtUpThreshold = positive(caughtUpThreshold);
	}

	public @Nullable Transport getTransport() {
		return this.transport;
	}

	public void setTransport(@Nullable Transport transport) {
		this.transport = transport;
	}

	public int getQueueCapacity() {
		return this.queueCapacity;
	}

	public void setQueueCapacity(int queueCapacity) {
		if (queueCapacity < 1 || queueCapacity > MAX_QUEUE_CAPACITY) {
			throw new IllegalArgumentException("must be from 1 to " + MAX_QUEUE_CAPACITY);
		}
		this.queueCapacity = queueCapacity;
	}

	public DataSize getQueueMaxSize() {
		return this.queueMaxSize;
	}

	public void setQueueMaxSize(DataSize queueMaxSize) {
		if (queueMaxSize.toBytes() <= 0) {
			throw new IllegalArgumentException("must be positive");
		}
		this.queueMaxSize = queueMaxSize;
	}

	public int getConcurrency() {
		return this.concurrency;
	}

	public void setConcurrency(int concurrency) {
		if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
			throw new IllegalArgumentException("must be from 1 to " + MAX_CONCURRENCY);
		}
		this.concurrency = concurrency;
	}

	public DispatchMode getDispatch() {
		return this.dispatch;
	}

	public void setDispatch(DispatchMode dispatch) {
		this.dispatch = dispatch;
	}

	public WebSocket getWebsocket() {
		return this.websocket;
	}

	public Polling getPolling() {
		return this.polling;
	}

	public Gaps getGaps() {
		return this.gaps;
	}

	public Reconnect getReconnect() {
		return this.reconnect;
	}

	public Health getHealth() {
		return this.health;
	}

	public Ssl getSsl() {
		return this.ssl;
	}

	public Checkpoint getCheckpoint() {
		return this.checkpoint;
	}

	@Override
	public void setBeanClassLoader(ClassLoader classLoader) {
		this.classLoader = classLoader;
	}

	@Override
	public boolean supports(Class<?> type) {
		return type == ArvadosEventsProperties.class || type == Reconnect.class || type == Checkpoint.class;
	}

	// Boot validates each object once it is bound; an error on one of its own fields gets that field's origin.
	@Override
	public void validate(Object target, Errors errors) {
		if (target instanceof ArvadosEventsProperties properties) {
			if (Boolean.TRUE.equals(properties.getInsecure()) && StringUtils.hasText(properties.getSsl().getBundle())) {
				errors.rejectValue("insecure", "conflict",
						"set either arvados.events.ssl.bundle or arvados.events.insecure=true, not both");
			}
			if (properties.getConcurrency() > 1 && properties.getDispatch() == DispatchMode.DIRECT) {
				errors.rejectValue("concurrency", "conflict", "'direct' dispatch runs each handler on the socket "
						+ "reader's thread, one at a time: set either arvados.events.dispatch=direct or a concurrency "
						+ "above 1, not both");
			}
			if (properties.getWebsocket().getClient() == WebSocket.ClientType.NETTY
					&& !ClassUtils.isPresent(NETTY_CLIENT_CLASS, this.classLoader)) {
				errors.rejectValue("websocket.client", "missing", "needs Netty's WebSocket codec on the class path: add "
						+ "io.netty:netty-codec-http (and io.netty:netty-tcnative-boringssl-static for BoringSSL)");
			}
		}
		else if (target instanceof Reconnect reconnect
				&& reconnect.getMaxInterval().compareTo(reconnect.getInitialInterval()) < 0) {
			errors.rejectValue("maxInterval", "range",
					"must not be below initial-interval (" + reconnect.getInitialInterval().toMillis() + "ms)");
		}
		else if (target instanceof Checkpoint checkpoint && checkpoint.getFile() != null
				&& checkpoint.getStore() != null) {
			errors.rejectValue("store", "conflict", "set either arvados.events.checkpoint.file or "
					+ "arvados.events.checkpoint.store, not both (a file is a store of its own)");
		}
	}

	private static int positive(int value) {
		if (value <= 0) {
			throw new IllegalArgumentException("must be positive");
		}
		return value;
	}

	private static Duration positive(Duration value) {
		if (value.isNegative() || value.isZero() || value.compareTo(MAX_DURATION) > 0) {
			throw new IllegalArgumentException("must be a positive duration of at most " + MAX_DURATION_TEXT);
		}
		return value;
	}

	/**
	 * One entry of {@code arvados.events.filters}, in either of the ways configuration can write it: Arvados' own
	 * {@code [attribute, operator, operand]}, or {@code attribute}, {@code operator} and {@code operand} by name.
	 * <p>
	 * Boot's binder builds a list element from the element's children, by name. Arvados' form has positions
	 * instead ({@code filters[0][0]}, {@code filters[0][1]}, {@code filters[0][2]}), and a name like {@code 0} finds
	 * the child at that position, so the binding constructor names its parameters after both. A fourth position is
	 * taken only to be refused: the binder would otherwise drop it without a word, and {@code [event_type, in,
	 * create, update]} would quietly mean {@code event_type in [create]}.
	 */
	public static final class Filter {

		private final EventFilter eventFilter;

		/**
		 * Read one filter, in one of the two forms.
		 * @param first the attribute, in Arvados' form
		 * @param second the operator, in Arvados' form
		 * @param third the operand, in Arvados' form: a value, or a list of values (never split at commas)
		 * @param fourth anything after the operand in Arvados' form, which is an error
		 * @param attribute the attribute, by name
		 * @param operator the operator, by name
		 * @param operand the operand, by name: a list, or values separated by commas
		 * @throws IllegalArgumentException if it is no valid filter
		 */
		@ConstructorBinding
		public Filter(@Name("0") @Nullable String first, @Name("1") @Nullable String second,
				@Name("2") @Delimiter(Delimiter.NONE) @Nullable List<String> third,
				@Name("3") @Delimiter(Delimiter.NONE) @Nullable List<String> fourth, @Nullable String attribute,
				@Nullable String operator, @Nullable List<String> operand) {
			boolean positional = first != null || second != null || third != null || fourth != null;
			boolean named = attribute != null || operator != null || operand != null;
			if (positional && named) {
				throw new IllegalArgumentException("An Arvados filter is either [attribute, operator, operand] or "
						+ "attribute, operator and operand by name, not both");
			}
			this.eventFilter = positional ? fromParts(first, second, third, fourth)
					: fromNames(attribute, operator, operand);
		}

		Filter(EventFilter eventFilter) {
			this.eventFilter = eventFilter;
		}

		/**
		 * The filter itself.
		 * @return the filter
		 */
		public EventFilter toEventFilter() {
			return this.eventFilter;
		}

		@Override
		public boolean equals(@Nullable Object other) {
			return other instanceof Filter filter && this.eventFilter.equals(filter.eventFilter);
		}

		@Override
		public int hashCode() {
			return this.eventFilter.hashCode();
		}

		@Override
		public String toString() {
			return this.eventFilter.toString();
		}

		private static EventFilter fromParts(@Nullable String attribute, @Nullable String operator,
				@Nullable List<String> operand, @Nullable List<String> rest) {
			if (rest != null) {
				throw new IllegalArgumentException("An Arvados filter has three parts, [attribute, operator, operand]; "
						+ "write several operands as one list, e.g. [event_type, in, [create, update]]");
			}
			if (attribute == null || operator == null) {
				throw new IllegalArgumentException("An Arvados filter has three parts, [attribute, operator, operand], "
						+ "e.g. [event_type, in, [create, update]]");
			}
			return new EventFilter(attribute, operator, operand);
		}

		private static EventFilter fromNames(@Nullable String attribute, @Nullable String operator,
				@Nullable List<String> operand) {
			if (operator == null) {
				throw new IllegalArgumentException("The Arvados filter on '" + attribute + "' needs an operator");
			}
			return new EventFilter(attribute, operator, operand);
		}

	}

	/**
	 * The WebSocket transport.
	 */
	public static class WebSocket {

		/**
		 * WebSocket URL of the event server, e.g. wss://ws.zzzzz.example.org/websocket. Defaults to the
		 * websocketUrl the cluster's discovery document advertises.
		 */
		private @Nullable URI url;

		/**
		 * Failed WebSocket attempts in a row after which 'auto' falls back to polling. A cluster that advertises
		 * no websocketUrl falls back at once.
		 */
		private int attempts = 3;

		/**
		 * While 'auto' is polling, how often to try the WebSocket again. At most 365 days.
		 */
		private Duration retryInterval = Duration.ofMinutes(1);

		/**
		 * How long a connection may stay silent before it is presumed dead and replaced. The server sends a
		 * keepalive every 60 seconds. At most 365 days.
		 */
		private Duration heartbeatTimeout = Duration.ofSeconds(150);

		/**
		 * While events stream over the WebSocket, how often to ask the API (users/current) whether the token is
		 * still good: the event server keeps a connection whose token was revoked and only stops sending it events.
		 */
		private Duration tokenCheckInterval = Duration.ofMinutes(5);

		/**
		 * Largest message accepted from the server, counted in characters (64MB: 64 Mi characters). Larger ones are
		 * skipped and logged as an error; their ids are then gaps, which the logs list fills as any other.
		 */
		private DataSize maxMessageSize = DataSize.ofMegabytes(64);

		/**
		 * The WebSocket client: 'tomcat', Tomcat's JSR-356 client that the starter brings; or 'netty', Netty's
		 * WebSocket codec (the application adds io.netty:netty-codec-http, and io.netty:netty-tcnative-boringssl-static
		 * for BoringSSL), with the shortest latency measured over TLS. An application's own WebSocketClient bean
		 * replaces either.
		 */
		private ClientType client = ClientType.TOMCAT;

		public @Nullable URI getUrl() {
			return this.url;
		}

		public void setUrl(@Nullable URI url) {
			if (url != null && (url.getHost() == null
					|| !List.of("ws", "wss").contains(url.getScheme()))) {
				throw new IllegalArgumentException("must be a ws:// or wss:// URL with a host");
			}
			this.url = url;
		}

		public int getAttempts() {
			return this.attempts;
		}

		public void setAttempts(int attempts) {
			this.attempts = positive(attempts);
		}

		public Duration getRetryInterval() {
			return this.retryInterval;
		}

		public void setRetryInterval(Duration retryInterval) {
			this.retryInterval = positive(retryInterval);
		}

		public Duration getTokenCheckInterval() {
			return this.tokenCheckInterval;
		}

		public void setTokenCheckInterval(Duration tokenCheckInterval) {
			this.tokenCheckInterval = positive(tokenCheckInterval);
		}

		public Duration getHeartbeatTimeout() {
			return this.heartbeatTimeout;
		}

		public void setHeartbeatTimeout(Duration heartbeatTimeout) {
			this.heartbeatTimeout = positive(heartbeatTimeout);
		}

		public DataSize getMaxMessageSize() {
			return this.maxMessageSize;
		}

		public void setMaxMessageSize(DataSize maxMessageSize) {
			if (maxMessageSize.toBytes() < 1 || maxMessageSize.compareTo(MAX_MESSAGE_SIZE) > 0) {
				throw new IllegalArgumentException("must be at least 1B and less than 2GB");
			}
			this.maxMessageSize = maxMessageSize;
		}

		public ClientType getClient() {
			return this.client;
		}

		public void setClient(ClientType client) {
			this.client = client;
		}

		/**
		 * A WebSocket client the starter can configure.
		 */
		public enum ClientType {

			/**
			 * Tomcat's JSR-356 client, through Spring's {@code StandardWebSocketClient}.
			 */
			TOMCAT,

			/**
			 * Netty's WebSocket codec, over BoringSSL when {@code netty-tcnative-boringssl-static} is present.
			 */
			NETTY

		}

	}

	/**
	 * Polling the REST logs list.
	 */
	public static class Polling {

		/**
		 * Wait between polls of the logs list once a poll has reached the newest event. A full page is followed
		 * at once by the next. On the WebSocket, how often missing ids are looked up in the list. At most 365 days.
		 */
		private Duration interval = Duration.ofSeconds(15);

		/**
		 * Most events asked for in one page of the logs list. The server caps it at its MaxItemsPerResponse (1000
		 * by default).
		 */
		private int limit = 1000;

		/**
		 * How far back 'latest' looks for the newest matching event to start after. At most 365 days.
		 */
		private Duration initialWindow = Duration.ofHours(2);

		public Duration getInterval() {
			return this.interval;
		}

		public void setInterval(Duration interval) {
			this.interval = positive(interval);
		}

		public int getLimit() {
			return this.limit;
		}

		public void setLimit(int limit) {
			this.limit = positive(limit);
		}

		public Duration getInitialWindow() {
			return this.initialWindow;
		}

		public void setInitialWindow(Duration initialWindow) {
			this.initialWindow = positive(initialWindow);
		}

	}

	/**
	 * Missing event ids: a transaction that took a lower id committed later than a higher one, or rolled back.
	 */
	public static class Gaps {

		/**
		 * How long to wait for a missing event id before giving it up as rolled back or not visible. At most 365
		 * days.
		 */
		private Duration timeout = Duration.ofMinutes(1);

		/**
		 * Most missing-id ranges to track; beyond it the oldest are given up.
		 */
		private int max = 10_000;

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = positive(timeout);
		}

		public int getMax() {
			return this.max;
		}

		public void setMax(int max) {
			this.max = positive(max);
		}

	}

	/**
	 * Waits between connection attempts: exponential, with jitter, without end.
	 */
	public static class Reconnect {

		/**
		 * Wait before the first reconnect attempt. At most 365 days.
		 */
		private Duration initialInterval = Duration.ofMillis(200);

		/**
		 * Longest wait between attempts. At most 365 days.
		 */
		private Duration maxInterval = Duration.ofSeconds(15);

		/**
		 * Factor by which the wait grows after each failed attempt.
		 */
		private double multiplier = 2.0;

		/**
		 * Random variation added to or taken from each wait, so that many clients do not reconnect in step. From 0 to
		 * 365 days.
		 */
		private Duration jitter = Duration.ofMillis(100);

		public Duration getInitialInterval() {
			return this.initialInterval;
		}

		public void setInitialInterval(Duration initialInterval) {
			this.initialInterval = positive(initialInterval);
		}

		public Duration getMaxInterval() {
			return this.maxInterval;
		}

		public void setMaxInterval(Duration maxInterval) {
			this.maxInterval = positive(maxInterval);
		}

		public double getMultiplier() {
			return this.multiplier;
		}

		public void setMultiplier(double multiplier) {
			if (!(multiplier >= 1)) {
				throw new IllegalArgumentException("must be at least 1");
			}
			this.multiplier = multiplier;
		}

		public Duration getJitter() {
			return this.jitter;
		}

		public void setJitter(Duration jitter) {
			if (jitter.isNegative() || jitter.compareTo(MAX_DURATION) > 0) {
				throw new IllegalArgumentException("must be from 0s to " + MAX_DURATION_TEXT);
			}
			this.jitter = jitter;
		}

	}

	/**
	 * The actuator health contributor 'arvadosEvents'.
	 */
	public static class Health {

		/**
		 * How long events may stop flowing (no transport works) before the health is DOWN; until then it is
		 * UNKNOWN. At most 365 days.
		 */
		private Duration downAfter = Duration.ofMinutes(5);

		public Duration getDownAfter() {
			return this.downAfter;
		}

		public void setDownAfter(Duration downAfter) {
			this.downAfter = positive(downAfter);
		}

	}

	/**
	 * Where the resume position is kept between runs. With a durable store, start-from defaults to 'checkpoint'.
	 */
	public static class Checkpoint {

		/**
		 * File that keeps the position, e.g. /var/lib/app/arvados-events.checkpoint. Setting it selects the file
		 * store; blank means not set. Must name a file, not a folder. Written to a temporary file and renamed;
		 * locked while the application runs, so one process uses it at a time.
		 */
		private @Nullable Path file;

		/**
		 * Which store keeps the position when no file is set: 'memory' (for the life of the application) or
		 * 'jdbc' (the application's Spring Integration ConcurrentMetadataStore, else a JdbcMetadataStore on its
		 * DataSource, table INT_METADATA_STORE). Defaults to 'memory'.
		 */
		private @Nullable Store store;

		/**
		 * Key of the position in the metadata store. Defaults to spring.application.name, else 'arvados-events'.
		 * Instances that share a key share the position.
		 */
		private @Nullable String key;

		/**
		 * Longest time between saves of the position while events are handled. Saves are coalesced: one at a
		 * time, and once more when the subscription stops. At most 365 days.
		 */
		private Duration interval = Duration.ofSeconds(1);

		public @Nullable Path getFile() {
			return this.file;
		}

		public void setFile(@Nullable Path file) {
			// Boot's binder leaves an unresolvable placeholder as it is: a file named ${CHECKPOINT_FILE} is a mistake.
			if (file != null && file.toString().contains("${")) {
				throw new IllegalArgumentException("a ${…} placeholder that nothing resolved");
			}
			// The root has no folder to hold the file, and a folder cannot be renamed over: refuse both now,
			// rather than with a stack trace when the store opens.
			if (file != null && (file.getFileName() == null || Files.isDirectory(file))) {
				throw new IllegalArgumentException("must be the path of a file, not of a folder");
			}
			this.file = file;
		}

		public @Nullable Store getStore() {
			return this.store;
		}

		public void setStore(@Nullable Store store) {
			this.store = store;
		}

		public @Nullable String getKey() {
			return this.key;
		}

		public void setKey(@Nullable String key) {
			if (key != null && !StringUtils.hasText(key)) {
				throw new IllegalArgumentException("must not be blank");
			}
			this.key = key;
		}

		public Duration getInterval() {
			return this.interval;
		}

		public void setInterval(Duration interval) {
			this.interval = positive(interval);
		}

		/**
		 * The stores {@code arvados.events.checkpoint.store} names.
		 */
		public enum Store {

			/**
			 * In memory, for the life of the application.
			 */
			MEMORY,

			/**
			 * A Spring Integration {@code ConcurrentMetadataStore}: the application's own, else a
			 * {@code JdbcMetadataStore} on its {@code DataSource}.
			 */
			JDBC

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

package org.arvados.events.autoconfigure;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;

import jakarta.websocket.ContainerProvider;
import jakarta.websocket.WebSocketContainer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.tomcat.websocket.WsWebSocketContainer;
import org.arvados.events.checkpoint.EventCheckpointStore;
import org.arvados.events.checkpoint.InMemoryEventCheckpointStore;
import org.arvados.events.checkpoint.ResumePosition;
import org.arvados.events.dispatch.EventHandlerErrorHandler;
import org.arvados.events.pull.ArvadosEventListeners;
import org.arvados.events.retry.HeldEvents;
import org.arvados.events.subscription.ArvadosEventSubscription;
import org.arvados.events.subscription.StartFrom;
import org.arvados.events.subscription.SubscriptionFactory;
import org.arvados.events.subscription.SubscriptionSettings;
import org.arvados.events.subscription.Transport;
import org.arvados.events.transport.LogsClient;
import org.arvados.events.transport.TokenSafeWebSocketClient;
import org.arvados.events.transport.TokenVerifier;
import org.arvados.events.transport.TrustEverythingSslContext;
import org.arvados.events.transport.WebSocketTransport;
import org.arvados.events.transport.WebSocketUrlResolver;
import org.arvados.events.transport.netty.NettyWebSocketClient;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.util.Assert;
import org.springframework.util.backoff.ExponentialBackOff;
import org.springframework.web.client.RestClient;
import org.springframework.web.socket.client.WebSocketClient;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;

/**
 * Auto-configuration that follows an Arvados cluster's event stream and delivers it to
 * {@link org.arvados.events.annotation.EventHandler @EventHandler} methods.
 */
@AutoConfiguration(after = ArvadosEventHandlerAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "arvados.events.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ArvadosEventsProperties.class)
public final class ArvadosEventsAutoConfiguration {

	private static final Log logger = LogFactory.getLog(ArvadosEventsAutoConfiguration.class);

	private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(30);

	// Static: converters for the properties are looked up while the first properties bean is being bound.
	@Bean
	@ConfigurationPropertiesBinding
	static StartFromConverter arvadosStartFromConverter() {
		return new StartFromConverter();
	}

	@Bean
	@ConfigurationPropertiesBinding
	static FiltersJsonConverter arvadosFiltersJsonConverter() {
		return new FiltersJsonConverter();
	}

	@Bean
	@ConditionalOnMissingBean(ArvadosConnectionDetails.class)
	PropertiesArvadosConnectionDetails arvadosConnectionDetails(ArvadosEventsProperties properties,
			Environment environment) {
		PropertiesArvadosConnectionDetails details = new PropertiesArvadosConnectionDetails(properties, environment);
		if (details.insecure()) {
			logger.warn("TLS verification is OFF for the Arvados cluster at " + details.endpoint()
					+ " (arvados.events.insecure or ARVADOS_API_HOST_INSECURE): any certificate is trusted. "
					+ "Use this with test clusters only.");
		}
		return details;
	}

	@Bean
	@ConditionalOnMissingBean
	EventCheckpointStore arvadosEventCheckpointStore() {
		return new InMemoryEventCheckpointStore();
	}

	@Bean
	@ConditionalOnMissingBean
	ArvadosEventListeners arvadosEventListeners() {
		return new ArvadosEventListeners();
	}

	@Bean
	@ConditionalOnMissingBean
	ArvadosEventSubscription arvadosEventSubscription(ArvadosEventsProperties properties,
			ArvadosConnectionDetails details, WebSocketClient arvadosWebSocketClient,
			EventCheckpointStore checkpointStore, EventHandlerErrorHandler errorHandler,
			ApplicationEventPublisher publisher, Environment environment, ObjectProvider<SslBundles> sslBundles,
			ArvadosEventListeners listeners, ObjectProvider<HeldEvents> held) {
		// The values were validated when the properties were bound (ArvadosEventsProperties#validate).
		ArvadosEventsProperties.WebSocket websocket = properties.getWebsocket();
		ArvadosEventsProperties.Polling polling = properties.getPolling();
		long maxMessageSize = websocket.getMaxMessageSize().toBytes();
		SubscriptionSettings settings = new SubscriptionSettings(details.endpoint(), details.token(),
				properties.toEventFilters(), startFrom(properties, checkpointStore), transport(properties, environment),
				reconnectBackOff(properties.getReconnect()), websocket.getHeartbeatTimeout(),
				websocket.getTokenCheckInterval(), websocket.getAttempts(),
				websocket.getRetryInterval(), polling.getInterval(), polling.getLimit(), polling.getInitialWindow());
		RestClient restClient = restClient(details, sslBundles);
		WebSocketUrlResolver urlResolver = new WebSocketUrlResolver(details.endpoint(), websocket.getUrl(),
				details.insecure(), restClient);
		LogsClient logsClient = new LogsClient(details.endpoint(), details.token(), restClient);
		ResumePosition position = new ResumePosition(properties.getGaps().getTimeout(), properties.getGaps().getMax());
		WebSocketTransport transport = new WebSocketTransport(arvadosWebSocketClient, (int) maxMessageSize);
		ArvadosEventSubscription subscription = new SubscriptionFactory(settings, transport, urlResolver,
				new TokenVerifier(details.endpoint(), details.token(), restClient), logsClient, checkpointStore, position,
				properties.getQueueCapacity(), properties.getQueueMaxSize().toBytes(), properties.getDispatch(),
				properties.getConcurrency(), publisher,
				errorHandler, stopTimeout(environment), properties.getCheckpoint().getInterval(),
				properties.getCaughtUpThreshold(), listeners)
			.create();
		held.ifAvailable(subscription::setHeldEvents);
		return subscription;
	}

	// A durable store is there to resume from.
	static StartFrom startFrom(ArvadosEventsProperties properties, EventCheckpointStore store) {
		StartFrom startFrom = properties.getStartFrom();
		if (startFrom != null) {
			return startFrom;
		}
		return store.isDurable() ? StartFrom.CHECKPOINT : StartFrom.LATEST;
	}

	// The handlers get most of the lifecycle's shutdown phase to finish; the stop's callback runs before it ends.
	static Duration stopTimeout(Environment environment) {
		// Bound as Boot binds it ("30s", "1m"): the environment alone converts only where Boot gave it its converters.
		Duration phase = Binder.get(environment)
			.bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class)
			.orElse(Duration.ofSeconds(30));
		return phase.minus(phase.dividedBy(10));
	}

	// As the Python SDK: ARVADOS_DISABLE_WEBSOCKETS=true means polling, unless the property says otherwise.
	static Transport transport(ArvadosEventsProperties properties, Environment environment) {
		Transport transport = properties.getTransport();
		if (transport != null) {
			return transport;
		}
		return PropertiesArvadosConnectionDetails.isFlagSet(environment, "ARVADOS_DISABLE_WEBSOCKETS") ? Transport.POLLING
				: Transport.AUTO;
	}

	static ExponentialBackOff reconnectBackOff(ArvadosEventsProperties.Reconnect reconnect) {
		ExponentialBackOff backOff = new ExponentialBackOff(reconnect.getInitialInterval().toMillis(),
				reconnect.getMultiplier());
		backOff.setMaxInterval(reconnect.getMaxInterval().toMillis());
		backOff.setJitter(reconnect.getJitter().toMillis());
		return backOff;
	}

	private static RestClient restClient(ArvadosConnectionDetails details, ObjectProvider<SslBundles> sslBundles) {
		HttpClient httpClient = HttpClient.newBuilder()
			.sslContext(sslContext(details, sslBundles))
			.connectTimeout(HTTP_TIMEOUT)
			// The token goes in a header set by hand, which the JDK client would copy to any host a redirect names;
			// discovery and the logs list need no redirect.
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
		JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory(httpClient);
		requestFactory.setReadTimeout(HTTP_TIMEOUT);
		return RestClient.builder().requestFactory(requestFactory).build();
	}

	// The same trust for both transports: a named SSL bundle (a private CA), everything (insecure), or the JDK's.
	static SSLContext sslContext(ArvadosConnectionDetails details, ObjectProvider<SslBundles> sslBundles) {
		SslBundle bundle = sslBundle(details, sslBundles);
		if (bundle != null) {
			return bundle.createSslContext();
		}
		if (details.insecure()) {
			return TrustEverythingSslContext.create();
		}
		try {
			return SSLContext.getDefault();
		}
		catch (java.security.NoSuchAlgorithmException ex) {
			throw new IllegalStateException("No default TLS context", ex);
		}
	}

	// The SSL bundle that arvados.events.ssl.bundle names, if it names one.
	private static @Nullable SslBundle sslBundle(ArvadosConnectionDetails details,
			ObjectProvider<SslBundles> sslBundles) {
		String name = details.sslBundle();
		if (name == null) {
			return null;
		}
		SslBundles bundles = sslBundles.getIfAvailable();
		Assert.state(bundles != null, "arvados.events.ssl.bundle is set but the application has no SslBundles");
		return bundles.getBundle(name);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(WsWebSocketContainer.class)
	@ConditionalOnProperty(name = "arvados.events.websocket.client", havingValue = "tomcat", matchIfMissing = true)
	static class TomcatWebSocketClientConfiguration {

		// Messages arrive in parts of this size and are joined up to websocket.max-message-size, so a small buffer serves
		// events of any size without holding megabytes per connection. Tomcat's client also sizes its socket
		// reads by the binary buffer: 8 KiB by default, which costs a read completion every dozen small events.
		private static final int BUFFER_SIZE = 64 * 1024;

		@Bean
		@ConditionalOnMissingBean
		WebSocketClient arvadosWebSocketClient(ArvadosConnectionDetails details, ObjectProvider<SslBundles> sslBundles) {
			WebSocketContainer container = ContainerProvider.getWebSocketContainer();
			container.setDefaultMaxTextMessageBufferSize(BUFFER_SIZE);
			container.setDefaultMaxBinaryMessageBufferSize(BUFFER_SIZE);
			StandardWebSocketClient client = new TokenSafeWebSocketClient(container);
			client.setSslContext(sslContext(details, sslBundles));
			// Tomcat follows up to 20 handshake redirects by default, carrying the URL's query, token and all, to
			// wherever they point: follow none (TokenSafeWebSocketClient says where one pointed).
			client.setUserProperties(Map.of("org.apache.tomcat.websocket.IO_TIMEOUT_MS", "10000",
					"org.apache.tomcat.websocket.MAX_REDIRECTIONS", "0"));
			return client;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ WebSocketClientProtocolHandler.class, SslContextBuilder.class })
	@ConditionalOnProperty(name = "arvados.events.websocket.client", havingValue = "netty")
	static class NettyWebSocketClientConfiguration {

		@Bean
		@ConditionalOnMissingBean
		WebSocketClient arvadosWebSocketClient(ArvadosConnectionDetails details,
				ObjectProvider<SslBundles> sslBundles) throws SSLException {
			return new NettyWebSocketClient(nettySslContext(details, sslBundles));
		}

		// The same trust as sslContext(…), for Netty: BoringSSL when netty-tcnative is there, else the JDK's TLS.
		static SslContext nettySslContext(ArvadosConnectionDetails details, ObjectProvider<SslBundles> sslBundles)
				throws SSLException {
			SslContextBuilder builder = SslContextBuilder.forClient()
				.sslProvider(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK)
				.endpointIdentificationAlgorithm("HTTPS");
			SslBundle bundle = sslBundle(details, sslBundles);
			if (bundle != null) {
				builder.trustManager(bundle.getManagers().getTrustManagerFactory());
				if (bundle.getStores().getKeyStore() != null) {
					builder.keyManager(bundle.getManagers().getKeyManagerFactory());
				}
				if (bundle.getOptions().getEnabledProtocols() != null) {
					builder.protocols(bundle.getOptions().getEnabledProtocols());
				}
				if (bundle.getOptions().getCiphers() != null) {
					builder.ciphers(Arrays.asList(bundle.getOptions().getCiphers()));
				}
			}
			else if (details.insecure()) {
				builder.trustManager(InsecureTrustManagerFactory.INSTANCE).endpointIdentificationAlgorithm(null);
			}
			return builder.build();
		}

	}

}

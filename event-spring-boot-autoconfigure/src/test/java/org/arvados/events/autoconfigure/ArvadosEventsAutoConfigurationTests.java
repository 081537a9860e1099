package org.arvados.events.autoconfigure;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import javax.net.ssl.SSLEngine;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCountUtil;
import org.apache.tomcat.websocket.WsWebSocketContainer;
import org.arvados.events.annotation.EventHandlerListenerFactory;
import org.arvados.events.checkpoint.Checkpoint;
import org.arvados.events.checkpoint.EventCheckpointStore;
import org.arvados.events.checkpoint.InMemoryEventCheckpointStore;
import org.arvados.events.dispatch.EventHandlerErrorHandler;
import org.arvados.events.dispatch.LoggingEventHandlerErrorHandler;
import org.arvados.events.lifecycle.TransportMode;
import org.arvados.events.pull.ArvadosEventListeners;
import org.arvados.events.autoconfigure.ArvadosEventsAutoConfiguration.NettyWebSocketClientConfiguration;
import org.arvados.events.subscription.ArvadosEventSubscription;
import org.arvados.events.transport.netty.NettyWebSocketClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;
import org.springframework.web.socket.client.WebSocketClient;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

class ArvadosEventsAutoConfigurationTests {

	// Nothing listens on port 9: the subscription starts and retries quietly while each test looks at the beans.
	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ArvadosEventHandlerAutoConfiguration.class, ArvadosEventsAutoConfiguration.class))
		.withPropertyValues("arvados.events.endpoint=http://127.0.0.1:9", "arvados.events.token=secret-token-42",
				"arvados.events.websocket.url=ws://127.0.0.1:9/websocket");

	@Test
	void createsTheSubscriptionAndItsDefaults() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(ArvadosEventSubscription.class)
				.hasSingleBean(EventHandlerListenerFactory.class)
				.hasSingleBean(StandardWebSocketClient.class);
			assertThat(context.getBean(EventCheckpointStore.class)).isInstanceOf(InMemoryEventCheckpointStore.class);
			assertThat(context.getBean(EventHandlerErrorHandler.class))
				.isInstanceOf(LoggingEventHandlerErrorHandler.class);
			assertThat(context.getBean(ArvadosEventSubscription.class).isRunning()).isTrue();
		});
	}

	@Test
	void theSubscriptionsPullListenersAreABeanThatTheApplicationMayReplace() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(ArvadosEventListeners.class)
			.getBean(ArvadosEventListeners.class)
			.isSameAs(context.getBean(ArvadosEventSubscription.class).listeners()));
		ArvadosEventListeners own = new ArvadosEventListeners();
		this.runner.withBean(ArvadosEventListeners.class, () -> own)
			.run((context) -> assertThat(context.getBean(ArvadosEventSubscription.class).listeners()).isSameAs(own));
		this.runner.withPropertyValues("arvados.events.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ArvadosEventListeners.class));
	}

	@Test
	void backsOffWhenDisabled() {
		this.runner.withPropertyValues("arvados.events.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ArvadosEventSubscription.class)
				.doesNotHaveBean(ArvadosConnectionDetails.class)
				.hasSingleBean(EventHandlerListenerFactory.class));
	}

	@Test
	void usesTheApplicationsOwnBeans() {
		WebSocketClient client = new StandardWebSocketClient();
		EventCheckpointStore store = new InMemoryEventCheckpointStore();
		EventHandlerErrorHandler errorHandler = (event, handler, error) -> {
		};
		this.runner.withBean(WebSocketClient.class, () -> client)
			.withBean(EventCheckpointStore.class, () -> store)
			.withBean(EventHandlerErrorHandler.class, () -> errorHandler)
			.run((context) -> {
				assertThat(context.getBean(WebSocketClient.class)).isSameAs(client);
				assertThat(context.getBean(EventCheckpointStore.class)).isSameAs(store);
				assertThat(context.getBean(EventHandlerErrorHandler.class)).isSameAs(errorHandler);
			});
	}

	@Test
	void withoutTomcatsClientTheApplicationMustProvideOne() {
		this.runner.withClassLoader(new FilteredClassLoader(WsWebSocketContainer.class))
			.run((context) -> assertThat(context).hasFailed().getFailure().hasMessageContaining("WebSocketClient"));
		this.runner.withClassLoader(new FilteredClassLoader(WsWebSocketContainer.class))
			.withBean(WebSocketClient.class, () -> mock(WebSocketClient.class))
			.run((context) -> assertThat(context).hasSingleBean(ArvadosEventSubscription.class));
	}

	@Test
	void nettyIsTheClientWhenChosenAndAnApplicationsOwnStillWins() {
		this.runner.withPropertyValues("arvados.events.websocket.client=netty")
			.run((context) -> assertThat(context).hasSingleBean(NettyWebSocketClient.class)
				.doesNotHaveBean(StandardWebSocketClient.class));
		WebSocketClient own = mock(WebSocketClient.class);
		this.runner.withPropertyValues("arvados.events.websocket.client=netty")
			.withBean(WebSocketClient.class, () -> own)
			.run((context) -> assertThat(context.getBean(WebSocketClient.class)).isSameAs(own));
	}

	@Test
	void nettyChosenWithoutNettyIsRefusedWithWhatToAdd() {
		this.runner.withPropertyValues("arvados.events.websocket.client=netty")
			.withClassLoader(new FilteredClassLoader(WebSocketClientProtocolHandler.class))
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("io.netty:netty-codec-http"));
	}

	@Test
	void nettysTlsIsBoringSslAndVerifiesTheHostNameUnlessInsecure() throws Exception {
		ArvadosConnectionDetails verified = mock(ArvadosConnectionDetails.class);
		SSLEngine engine = engine(NettyWebSocketClientConfiguration.nettySslContext(verified, noBundles()));
		assertThat(engine).isInstanceOf(ReferenceCountedOpenSslEngine.class);
		assertThat(engine.getSSLParameters().getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
		assertThat(engine.getSSLParameters().getServerNames()).hasSize(1);

		ArvadosConnectionDetails insecure = mock(ArvadosConnectionDetails.class);
		given(insecure.insecure()).willReturn(true);
		engine = engine(NettyWebSocketClientConfiguration.nettySslContext(insecure, noBundles()));
		assertThat(engine.getSSLParameters().getEndpointIdentificationAlgorithm()).isNull();
	}

	// A client engine as the client makes it, for a host name: the name gives SNI and host-name verification.
	private static SSLEngine engine(SslContext context) {
		SSLEngine engine = context.newEngine(ByteBufAllocator.DEFAULT, "ws.zzzzz.example.org", 443);
		ReferenceCountUtil.release(engine);
		return engine;
	}

	@SuppressWarnings("unchecked")
	private static ObjectProvider<SslBundles> noBundles() {
		return mock(ObjectProvider.class);
	}

	@Test
	void takesTheEndpointTokenAndInsecureFromTheArvadosEnvironmentVariables() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ArvadosEventHandlerAutoConfiguration.class, ArvadosEventsAutoConfiguration.class))
			.withPropertyValues("ARVADOS_API_HOST=127.0.0.1:9", "ARVADOS_API_TOKEN=env-token",
					"ARVADOS_API_HOST_INSECURE=true", "arvados.events.websocket.url=ws://127.0.0.1:9/websocket")
			.run((context) -> {
				ArvadosConnectionDetails details = context.getBean(ArvadosConnectionDetails.class);
				assertThat(details.endpoint()).isEqualTo(URI.create("https://127.0.0.1:9"));
				assertThat(details.token()).isEqualTo("env-token");
				assertThat(details.insecure()).isTrue();
			});
	}

	@Test
	void propertiesWinOverTheEnvironmentVariables() {
		this.runner.withPropertyValues("ARVADOS_API_HOST=other.example", "ARVADOS_API_TOKEN=env-token",
				"ARVADOS_API_HOST_INSECURE=true", "arvados.events.insecure=false")
			.run((context) -> {
				ArvadosConnectionDetails details = context.getBean(ArvadosConnectionDetails.class);
				assertThat(details.endpoint()).isEqualTo(URI.create("http://127.0.0.1:9"));
				assertThat(details.token()).isEqualTo("secret-token-42");
				assertThat(details.insecure()).isFalse();
				assertThat(details.toString()).doesNotContain("secret-token-42");
			});
	}

	@Test
	void failsWithTheNamesToSetWhenTheEndpointIsMissing() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ArvadosEventHandlerAutoConfiguration.class, ArvadosEventsAutoConfiguration.class))
			.withPropertyValues("arvados.events.token=t")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(MissingArvadosSettingException.class)
				.hasMessageContaining("arvados.events.endpoint")
				.hasMessageContaining("ARVADOS_API_HOST"));
	}

	@Test
	void failsWithTheNamesToSetWhenTheTokenIsMissing() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ArvadosEventHandlerAutoConfiguration.class, ArvadosEventsAutoConfiguration.class))
			.withPropertyValues("arvados.events.endpoint=https://zzzzz.example.org")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("arvados.events.token")
				.hasMessageContaining("ARVADOS_API_TOKEN"));
	}

	// Boot leaves a placeholder it cannot resolve as it is; the variables are blanked in case the machine has them.
	@Test
	void anUnresolvedPlaceholderOrABlankTokenIsAMissingToken() {
		for (String token : List.of("${ARVADOS_EVENTS_TESTS_UNSET_TOKEN}", "   ", "")) {
			new ApplicationContextRunner()
				.withConfiguration(AutoConfigurations.of(ArvadosEventHandlerAutoConfiguration.class,
						ArvadosEventsAutoConfiguration.class))
				.withPropertyValues("ARVADOS_API_TOKEN=", "arvados.events.endpoint=https://zzzzz.example.org",
						"arvados.events.token=" + token)
				.run((context) -> assertThat(context).hasFailed()
					.getFailure()
					.rootCause()
					.isInstanceOf(MissingArvadosSettingException.class)
					.hasMessage("No Arvados API token is configured: set arvados.events.token or the "
							+ "ARVADOS_API_TOKEN environment variable"));
		}
	}

	@Test
	void anUnresolvedPlaceholderEndpointIsAMissingEndpoint() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ArvadosEventHandlerAutoConfiguration.class,
					ArvadosEventsAutoConfiguration.class))
			.withPropertyValues("ARVADOS_API_HOST=", "arvados.events.endpoint=${ARVADOS_EVENTS_TESTS_UNSET_HOST}",
					"arvados.events.token=t")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(MissingArvadosSettingException.class)
				.hasMessageContaining("set arvados.events.endpoint or the ARVADOS_API_HOST environment variable"));
	}

	@Test
	void aPlaceholderTokenFallsBackToTheVariable() {
		this.runner.withPropertyValues("arvados.events.token=${ARVADOS_EVENTS_TESTS_UNSET_TOKEN}",
				"ARVADOS_API_TOKEN=env-token")
			.run((context) -> assertThat(context.getBean(ArvadosConnectionDetails.class).token()).isEqualTo("env-token"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "arvados.events.endpoint=http://zzzzz.example.org",
			"ARVADOS_API_HOST=http://zzzzz.example.org" })
	void aPlainHttpEndpointOffLoopbackFailsStartUpUnlessInsecure(String endpoint) {
		ApplicationContextRunner runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ArvadosEventHandlerAutoConfiguration.class,
					ArvadosEventsAutoConfiguration.class))
			.withPropertyValues(endpoint, "arvados.events.token=t0k3n-in-clear");
		runner.run((context) -> {
			assertThat(context).hasFailed();
			assertThat(FailureReports.of(context.getStartupFailure()))
				.contains("http://zzzzz.example.org is plain http://")
				.contains("https://")
				.contains("arvados.events.insecure=true")
				.doesNotContain("t0k3n-in-clear");
		});
		runner.withPropertyValues("arvados.events.insecure=true")
			.run((context) -> assertThat(context).hasNotFailed());
		runner.withPropertyValues("ARVADOS_API_HOST_INSECURE=true")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://127.0.0.1:9", "http://127.1.2.3:9", "http://localhost:9", "http://[::1]:9" })
	void aPlainHttpEndpointOnLoopbackIsFine(String endpoint) {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ArvadosEventHandlerAutoConfiguration.class,
					ArvadosEventsAutoConfiguration.class))
			.withPropertyValues("arvados.events.endpoint=" + endpoint, "arvados.events.token=t")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void aBadArvadosApiHostFailsStartUpNamingTheVariable() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ArvadosEventHandlerAutoConfiguration.class,
					ArvadosEventsAutoConfiguration.class))
			.withPropertyValues("ARVADOS_API_HOST=not a host", "arvados.events.token=t")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageStartingWith("ARVADOS_API_HOST must be an http(s) URL or a host[:port]"));
	}

	@Test
	void connectionDetailsOfTheApplicationReplaceTheProperties() {
		ArvadosConnectionDetails own = ArvadosConnectionDetails.of(URI.create("http://127.0.0.1:9"), "own-token");
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ArvadosEventHandlerAutoConfiguration.class,
					ArvadosEventsAutoConfiguration.class))
			.withPropertyValues("ARVADOS_API_HOST=", "ARVADOS_API_TOKEN=",
					"arvados.events.websocket.url=ws://127.0.0.1:9/websocket")
			.withBean("ownDetails", ArvadosConnectionDetails.class, () -> own)
			.run((context) -> {
				assertThat(context).hasSingleBean(ArvadosConnectionDetails.class)
					.doesNotHaveBean(PropertiesArvadosConnectionDetails.class)
					.hasSingleBean(ArvadosEventSubscription.class);
				assertThat(context.getBean(ArvadosConnectionDetails.class)).isSameAs(own);
				assertThat(own.insecure()).isFalse();
				assertThat(own.sslBundle()).isNull();
				assertThat(own.toString()).contains("http://127.0.0.1:9").doesNotContain("own-token");
			});
	}

	@Test
	void theDefaultConnectionDetailsComeFromTheProperties() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(PropertiesArvadosConnectionDetails.class)
			.hasBean("arvadosConnectionDetails"));
	}

	@Test
	void transportIsAutoUnlessSetOrWebSocketsAreDisabledAsInThePythonSdk() {
		this.runner.run((context) -> assertThat(context.getBean(ArvadosEventSubscription.class).state().mode())
			.isEqualTo(TransportMode.WEBSOCKET));
		this.runner.withPropertyValues("ARVADOS_DISABLE_WEBSOCKETS=true")
			.run((context) -> assertThat(context.getBean(ArvadosEventSubscription.class).state().mode())
				.isEqualTo(TransportMode.POLLING));
		this.runner.withPropertyValues("ARVADOS_DISABLE_WEBSOCKETS=1", "arvados.events.transport=websocket")
			.run((context) -> assertThat(context.getBean(ArvadosEventSubscription.class).state().mode())
				.isEqualTo(TransportMode.WEBSOCKET));
		this.runner.withPropertyValues("arvados.events.transport=polling")
			.run((context) -> assertThat(context.getBean(ArvadosEventSubscription.class).state().mode())
				.isEqualTo(TransportMode.POLLING));
	}

	@Test
	void reconnectBackOffFollowsTheProperties() {
		ArvadosEventsProperties.Reconnect reconnect = new ArvadosEventsProperties.Reconnect();
		reconnect.setInitialInterval(Duration.ofMillis(100));
		reconnect.setMaxInterval(Duration.ofMillis(350));
		reconnect.setMultiplier(3);
		reconnect.setJitter(Duration.ZERO);
		ExponentialBackOff backOff = ArvadosEventsAutoConfiguration.reconnectBackOff(reconnect);
		BackOffExecution execution = backOff.start();
		assertThat(List.of(execution.nextBackOff(), execution.nextBackOff(), execution.nextBackOff(),
				execution.nextBackOff()))
			.containsExactly(100L, 300L, 350L, 350L);
	}

	@Test
	void reconnectsForeverWithJitter() {
		ExponentialBackOff backOff = ArvadosEventsAutoConfiguration.reconnectBackOff(new ArvadosEventsProperties.Reconnect());
		assertThat(backOff.getJitter()).isEqualTo(100);
		BackOffExecution execution = backOff.start();
		for (int i = 0; i < 1000; i++) {
			assertThat(execution.nextBackOff()).isNotEqualTo(BackOffExecution.STOP).isLessThanOrEqualTo(15_000);
		}
	}

	@Test
	void defaultsAreTheOnesTheReadmeDocuments() {
		ArvadosEventsProperties properties = new ArvadosEventsProperties();
		assertThat(properties.isEnabled()).isTrue();
		assertThat(properties.getStartFrom()).as("latest, or checkpoint with a durable store").isNull();
		assertThat(properties.getWebsocket().getMaxMessageSize().toMegabytes()).isEqualTo(64);
		assertThat(properties.getQueueCapacity()).isEqualTo(256);
		assertThat(properties.getWebsocket().getHeartbeatTimeout()).isEqualTo(Duration.ofSeconds(150));
		assertThat(properties.getGaps().getTimeout()).isEqualTo(Duration.ofMinutes(1));
		assertThat(properties.getGaps().getMax()).isEqualTo(10_000);
		assertThat(properties.getReconnect().getInitialInterval()).isEqualTo(Duration.ofMillis(200));
		assertThat(properties.getReconnect().getMaxInterval()).isEqualTo(Duration.ofSeconds(15));
		assertThat(properties.getReconnect().getMultiplier()).isEqualTo(2.0);
		assertThat(properties.getReconnect().getJitter()).isEqualTo(Duration.ofMillis(100));
		assertThat(properties.getTransport()).isNull();
		assertThat(properties.getWebsocket().getAttempts()).isEqualTo(3);
		assertThat(properties.getWebsocket().getRetryInterval()).isEqualTo(Duration.ofMinutes(1));
		assertThat(properties.getPolling().getInterval()).isEqualTo(Duration.ofSeconds(15));
		assertThat(properties.getPolling().getLimit()).isEqualTo(1000);
		assertThat(properties.getPolling().getInitialWindow()).isEqualTo(Duration.ofHours(2));
		assertThat(properties.getHealth().getDownAfter()).isEqualTo(Duration.ofMinutes(5));
	}

	@Test
	void aCheckpointStoreIsAskedWhereToStart() {
		EventCheckpointStore store = new InMemoryEventCheckpointStore();
		store.save(Checkpoint.after(41));
		this.runner.withPropertyValues("arvados.events.start-from=checkpoint")
			.withBean(EventCheckpointStore.class, () -> store)
			.run((context) -> assertThat(context.getBean(ArvadosEventSubscription.class).state().lowWaterMark())
				.isEqualTo(41));
		assertThat(store.load()).contains(Checkpoint.after(41));
	}

	@Test
	void aDurableStoreMakesTheCheckpointWhereToStartByDefault() {
		EventCheckpointStore durable = new InMemoryEventCheckpointStore() {

			@Override
			public boolean isDurable() {
				return true;
			}

		};
		durable.save(Checkpoint.after(41));
		this.runner.withBean(EventCheckpointStore.class, () -> durable)
			.run((context) -> assertThat(context.getBean(ArvadosEventSubscription.class).state().lowWaterMark())
				.isEqualTo(41));
	}

	@Test
	void withoutADurableStoreLatestIsWhereToStartByDefault() {
		EventCheckpointStore store = new InMemoryEventCheckpointStore();
		store.save(Checkpoint.after(41));
		this.runner.withBean(EventCheckpointStore.class, () -> store)
			.run((context) -> assertThat(context.getBean(ArvadosEventSubscription.class).state().lowWaterMark())
				.isZero());
	}

}

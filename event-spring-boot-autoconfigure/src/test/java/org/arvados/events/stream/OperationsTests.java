package org.arvados.events.stream;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import org.arvados.events.ArvadosEvent;
import org.arvados.events.annotation.EventHandler;
import org.arvados.events.autoconfigure.health.ArvadosEventsHealthContributorAutoConfiguration;
import org.arvados.events.autoconfigure.metrics.ArvadosEventsMetricsAutoConfiguration;
import org.arvados.events.health.ArvadosEventsHealthIndicator;
import org.arvados.events.lifecycle.ArvadosStreamEvent;
import org.arvados.events.lifecycle.EventHandlerFailedEvent;
import org.arvados.events.lifecycle.StreamConnectedEvent;
import org.arvados.events.lifecycle.StreamDisconnectedEvent;
import org.arvados.events.lifecycle.SubscriptionStartedEvent;
import org.arvados.events.lifecycle.SubscriptionStoppedEvent;
import org.arvados.events.lifecycle.TransportMode;
import org.arvados.events.stream.StreamTestSupport.Recorder;
import org.arvados.events.subscription.ArvadosEventSubscription;
import org.arvados.events.test.FakeArvadosCluster;
import org.arvados.events.test.LogEntry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.event.EventListener;

import static org.arvados.events.stream.StreamTestSupport.WAIT;
import static org.arvados.events.stream.StreamTestSupport.awaitSubscribed;
import static org.arvados.events.stream.StreamTestSupport.cluster;
import static org.arvados.events.stream.StreamTestSupport.emit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What operators see: the health contributor, the meters, the lifecycle events, and never the token, through a
 * connect, a drop, a fall-back to polling, a rejected token and a failing handler. Spring's own WebSocket and
 * HTTP client logging is at DEBUG here, the starter's at TRACE.
 */
@ExtendWith(OutputCaptureExtension.class)
class OperationsTests {

	private static final List<String> SPRING_CLIENTS = List.of("org.springframework.web", "org.springframework.http");

	@BeforeAll
	static void springClientsLogAtDebug() {
		LoggingSystem logging = LoggingSystem.get(OperationsTests.class.getClassLoader());
		SPRING_CLIENTS.forEach((name) -> logging.setLogLevel(name, LogLevel.DEBUG));
	}

	@AfterAll
	static void springClientsLogAsBefore() {
		LoggingSystem logging = LoggingSystem.get(OperationsTests.class.getClassLoader());
		SPRING_CLIENTS.forEach((name) -> logging.setLogLevel(name, null));
	}

	@AfterEach
	void neverLogsTheToken(CapturedOutput output) {
		StreamTestSupport.assertTokenNeverLogged(output);
	}

	@Test
	void healthIsUpWhileEventsFlowUnknownWhileReconnectingAndDownAfterAWhile() {
		try (FakeArvadosCluster cluster = cluster().start()) {
			runner(cluster, "arvados.events.transport=websocket", "arvados.events.health.down-after=2s").run((context) -> {
				Recorder recorder = awaitSubscribed(context);
				LogEntry event = emit(cluster);
				await().atMost(WAIT).until(() -> recorder.ids().contains(event.id()));
				Health up = health(context);
				assertThat(up.getStatus()).isEqualTo(Status.UP);
				assertThat(up.getDetails()).containsEntry("mode", "websocket")
					.containsEntry("connected", true)
					.containsEntry("endpoint", "127.0.0.1")
					.containsEntry("lastEventId", event.id())
					.containsKeys("lastEventAt", "lastEventAge")
					.containsEntry("reconnects", 0L)
					.containsEntry("queueDepth", 0);
				cluster.setRefuseConnections(true);
				cluster.dropConnections();
				await().atMost(WAIT).until(() -> health(context).getStatus().equals(Status.UNKNOWN));
				await().atMost(WAIT).until(() -> health(context).getStatus().equals(Status.DOWN));
				assertThat(health(context).getDetails()).containsEntry("connected", false)
					.hasEntrySatisfying("lastError", (error) -> assertThat((String) error).contains(cluster.websocketUrl()));
				cluster.setRefuseConnections(false);
				await().atMost(WAIT).until(() -> health(context).getStatus().equals(Status.UP));
				context.getBean(ArvadosEventSubscription.class).stop();
				assertThat(health(context).getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
				assertThat(health(context).toString()).doesNotContain(StreamTestSupport.TOKEN);
			});
		}
	}

	@Test
	void aRejectedTokenIsDownAtOnce() {
		try (FakeArvadosCluster cluster = cluster().start()) {
			runner(cluster, "arvados.events.transport=polling", "arvados.events.polling.interval=50ms").run((context) -> {
				awaitSubscribed(context);
				cluster.revokeToken();
				await().atMost(WAIT).until(() -> health(context).getStatus().equals(Status.DOWN));
				assertThat(health(context).getDetails()).containsEntry("mode", "polling")
					.hasEntrySatisfying("lastError",
							(error) -> assertThat((String) error).contains("rejected the API token (HTTP 401)"));
			});
		}
	}

	@Test
	void lifecycleEventsTellWhatHappensToTheStream() {
		try (FakeArvadosCluster cluster = cluster().start()) {
			StreamEvents events = new StreamEvents();
			runner(cluster, "arvados.events.transport=websocket").withBean(StreamEvents.class, () -> events)
				.run((context) -> {
					awaitSubscribed(context);
					assertThat(events.all).first().isInstanceOf(SubscriptionStartedEvent.class);
					assertThat(events.of(StreamConnectedEvent.class)).singleElement()
						.extracting(StreamConnectedEvent::getMode)
						.isEqualTo(TransportMode.WEBSOCKET);
					cluster.dropConnections();
					await().atMost(WAIT).until(() -> events.of(StreamConnectedEvent.class).size() == 2);
					assertThat(events.of(StreamDisconnectedEvent.class)).singleElement()
						.satisfies((disconnected) -> assertThat(disconnected.getCause()).contains("Connection to"));
					LogEntry poison = cluster.emit("delete", FakeArvadosCluster.uuid("4zz18"), Map.of());
					await().atMost(WAIT).until(() -> !events.of(EventHandlerFailedEvent.class).isEmpty());
					EventHandlerFailedEvent failed = events.of(EventHandlerFailedEvent.class).get(0);
					assertThat(failed.getEvent().id()).isEqualTo(poison.id());
					assertThat(failed.getHandler()).endsWith("Failing.onDelete");
					assertThat(failed.getError()).hasMessage("cannot delete " + poison.id());
				});
			assertThat(events.all).last().isInstanceOf(SubscriptionStoppedEvent.class);
		}
	}

	@Test
	void metersCountTheStreamAndEachHandler() {
		try (FakeArvadosCluster cluster = cluster().start()) {
			runner(cluster)
				.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
						CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
						ObservationAutoConfiguration.class, ArvadosEventsMetricsAutoConfiguration.class))
				.run((context) -> {
					Recorder recorder = awaitSubscribed(context);
					LogEntry updated = emit(cluster);
					LogEntry deleted = cluster.emit("delete", FakeArvadosCluster.uuid("4zz18"), Map.of());
					await().atMost(WAIT).until(() -> recorder.ids().contains(deleted.id()));
					MeterRegistry registry = context.getBean(MeterRegistry.class);
					await().atMost(WAIT)
						.until(() -> registry.find("arvados.events.failed").counter() != null);
					assertThat(registry.get("arvados.events.received").functionCounter().count()).isEqualTo(2);
					assertThat(registry.get("arvados.events.handled")
						.tags("event.type", "update", "handler", Recorder.class.getName() + ".record")
						.counter()
						.count()).isEqualTo(1);
					assertThat(registry.get("arvados.events.failed")
						.tags("event.type", "delete", "handler", Failing.class.getName() + ".onDelete", "exception",
								"IllegalStateException")
						.counter()
						.count()).isEqualTo(1);
					assertThat(registry.get("arvados.events.handler")
						.tags("event.type", "update", "object.kind", "arvados#collection")
						.timer()
						.count()).isEqualTo(1);
					assertThat(registry.get("arvados.events.connected").gauge().value()).isOne();
					assertThat(registry.get("arvados.events.lag").timeGauge().value()).isNotNaN();
					assertThat(registry.getMeters()).flatMap((meter) -> meter.getId().getTags())
						.extracting(Tag::getValue)
						.noneMatch((value) -> value.contains(StreamTestSupport.TOKEN));
					assertThat(updated.id()).isLessThan(deleted.id());
				});
		}
	}

	@Test
	void theTokenStaysOutOfEveryLogThroughConnectReconnectFallbackAndFailure(CapturedOutput output) {
		try (FakeArvadosCluster cluster = cluster().start()) {
			runner(cluster, "arvados.events.websocket.attempts=1", "arvados.events.websocket.retry-interval=100ms",
					"arvados.events.polling.interval=50ms")
				.run((context) -> {
					ArvadosEventSubscription subscription = context.getBean(ArvadosEventSubscription.class);
					Recorder recorder = awaitSubscribed(context);
					cluster.setRefuseConnections(true);
					cluster.dropConnections();
					await().atMost(WAIT).until(() -> subscription.state().mode() == TransportMode.POLLING);
					cluster.failListRequests(2, 500);
					LogEntry polled = emit(cluster);
					await().atMost(WAIT).until(() -> recorder.ids().contains(polled.id()));
					cluster.setRefuseConnections(false);
					await().atMost(WAIT).until(() -> subscription.state().mode() == TransportMode.WEBSOCKET
							&& subscription.state().connected());
					cluster.sendRaw("{not json " + StreamTestSupport.TOKEN.length());
					cluster.revokeToken();
					cluster.dropConnections();
					await().atMost(WAIT).until(() -> output.getAll().contains("rejected the API token"));
				});
		}
	}

	private static ApplicationContextRunner runner(FakeArvadosCluster cluster, String... properties) {
		// Failures count once each: retries have their own tests (HandlerRetryTests).
		return StreamTestSupport.runner(cluster, properties)
			.withPropertyValues("arvados.events.handler-retry.max-retries=0")
			.withConfiguration(AutoConfigurations.of(ArvadosEventsHealthContributorAutoConfiguration.class))
			.withUserConfiguration(Failing.class);
	}

	private static Health health(AssertableApplicationContext context) {
		return context.getBean(ArvadosEventsHealthIndicator.class).health(true);
	}

	/** Fails on every delete. */
	static class Failing {

		@EventHandler(eventTypes = "delete")
		void onDelete(ArvadosEvent event) {
			throw new IllegalStateException("cannot delete " + event.id());
		}

	}

	/** Records every fact about the stream. */
	static class StreamEvents {

		final List<ArvadosStreamEvent> all = new CopyOnWriteArrayList<>();

		@EventListener
		void on(ArvadosStreamEvent event) {
			this.all.add(event);
		}

		<T extends ArvadosStreamEvent> List<T> of(Class<T> type) {
			return this.all.stream().filter(type::isInstance).map(type::cast).toList();
		}

	}

}

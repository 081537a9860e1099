package org.arvados.events.stream;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;
import org.arvados.events.ArvadosEvent;
import org.arvados.events.actuate.ArvadosEventsEndpoint;
import org.arvados.events.annotation.EventHandler;
import org.arvados.events.autoconfigure.actuate.ArvadosEventsEndpointAutoConfiguration;
import org.arvados.events.autoconfigure.checkpoint.ArvadosEventsCheckpointAutoConfiguration;
import org.arvados.events.autoconfigure.health.ArvadosEventsHealthContributorAutoConfiguration;
import org.arvados.events.autoconfigure.metrics.ArvadosEventsMetricsAutoConfiguration;
import org.arvados.events.checkpoint.TestPostgres;
import org.arvados.events.dispatch.EventHandlerErrorHandler;
import org.arvados.events.health.ArvadosEventsHealthIndicator;
import org.arvados.events.lifecycle.EventHeldEvent;
import org.arvados.events.lifecycle.StreamRole;
import org.arvados.events.retry.HeldEvent;
import org.arvados.events.subscription.ArvadosEventSubscription;
import org.arvados.events.test.FakeArvadosCluster;
import org.arvados.events.test.LogEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.integration.autoconfigure.IntegrationAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.event.EventListener;

import static org.arvados.events.stream.StreamTestSupport.WAIT;
import static org.arvados.events.stream.StreamTestSupport.awaitSubscribed;
import static org.arvados.events.stream.StreamTestSupport.cluster;
import static org.arvados.events.stream.StreamTestSupport.runner;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code handler-retry.exhausted: hold}: an event whose handler still fails after its retries is never given up. The
 * position stays on it, health and the {@code arvadosevents} endpoint show it, an operator can let it go, and a
 * restart or the next leader starts from it.
 */
class HeldEventTests {

	private static final String[] HOLD = { "arvados.events.transport=websocket",
			"arvados.events.handler-retry.exhausted=hold", "arvados.events.handler-retry.max-retries=1",
			"arvados.events.handler-retry.delay=10ms", "arvados.events.handler-retry.max-delay=50ms" };

	@Test
	void theStreamWaitsOnTheHeldEventWhichHealthAndTheEndpointShowUntilTheHandlerSucceeds() {
		Failing handler = new Failing(6);
		String object = FakeArvadosCluster.uuid("4zz18");
		try (FakeArvadosCluster cluster = cluster().start()) {
			observed(runner(cluster, HOLD)).withBean(Failing.class, () -> handler).run((context) -> {
				awaitSubscribed(context);
				ArvadosEventSubscription subscription = context.getBean(ArvadosEventSubscription.class);
				LogEntry held = cluster.emit("update", object, Map.of());
				LogEntry after = cluster.emit("update", FakeArvadosCluster.uuid("4zz18"), Map.of());
				await().atMost(WAIT).until(() -> !subscription.heldEvents().isEmpty());
				HeldEvent hold = subscription.heldEvents().get(0);
				assertThat(hold.eventId()).isEqualTo(held.id());
				assertThat(hold.handler()).isEqualTo(Failing.class.getName() + ".on");
				assertThat(hold.attempts()).isGreaterThanOrEqualTo(2);
				assertThat(hold.lastError()).startsWith("java.lang.IllegalStateException: attempt ")
					.doesNotContain(StreamTestSupport.SECRET);
				assertThat(subscription.state().lowWaterMark()).isLessThan(held.id());
				assertThat(handler.handled).isEmpty();
				Health health = context.getBean(ArvadosEventsHealthIndicator.class).health(true);
				assertThat(health.getDetails()).containsKey("held");
				assertThat(context.getBean(ArvadosEventsEndpoint.class).events().get("held").toString())
					.contains("eventId=" + held.id());
				assertThat(context.getBean(MeterRegistry.class).get("arvados.events.handler.held").gauge().value())
					.isEqualTo(1);
				assertThat(context.getBean(Held.class).events).extracting(HeldEvent::eventId).containsExactly(held.id());
				await().atMost(WAIT).until(() -> handler.handled.size() == 2);
				assertThat(handler.handled).containsExactly(held.id(), after.id());
				assertThat(handler.calls.get(held.id())).hasValue(7);
				assertThat(subscription.heldEvents()).isEmpty();
				assertThat(context.getBean(ArvadosEventsHealthIndicator.class).health(true).getDetails())
					.doesNotContainKey("held");
			});
		}
	}

	@Test
	void aReleasedEventGoesToTheErrorHandlerCountsAsHandledAndTheStreamGoesOn() {
		Failing handler = new Failing(Integer.MAX_VALUE);
		List<Long> failed = new CopyOnWriteArrayList<>();
		try (FakeArvadosCluster cluster = cluster().start()) {
			observed(runner(cluster, HOLD)).withBean(Failing.class, () -> handler)
				.withBean(EventHandlerErrorHandler.class, () -> (event, name, error) -> failed.add(event.id()))
				.run((context) -> {
					awaitSubscribed(context);
					ArvadosEventSubscription subscription = context.getBean(ArvadosEventSubscription.class);
					LogEntry first = cluster.emit("update", FakeArvadosCluster.uuid("4zz18"), Map.of());
					await().atMost(WAIT).until(() -> !subscription.heldEvents().isEmpty());
					assertThat(subscription.release(first.id() + 1000)).isFalse();
					assertThat(subscription.release(first.id())).isTrue();
					await().atMost(WAIT).until(() -> subscription.state().lowWaterMark() >= first.id());
					assertThat(failed).containsExactly(first.id());
					// And through the endpoint.
					LogEntry second = cluster.emit("update", FakeArvadosCluster.uuid("4zz18"), Map.of());
					await().atMost(WAIT).until(() -> !subscription.heldEvents().isEmpty());
					assertThat(context.getBean(ArvadosEventsEndpoint.class).act("release", second.id()))
						.containsEntry("done", true);
					await().atMost(WAIT).until(() -> subscription.state().lowWaterMark() >= second.id());
					assertThat(failed).containsExactly(first.id(), second.id());
				});
		}
	}

	@Test
	void withConcurrencyOnlyTheHeldObjectsEventsWait() {
		Failing handler = new Failing(Integer.MAX_VALUE, "update");
		String stuck = FakeArvadosCluster.uuid("4zz18");
		try (FakeArvadosCluster cluster = cluster().start()) {
			runner(cluster, HOLD).withPropertyValues("arvados.events.concurrency=4")
				.withBean(Failing.class, () -> handler)
				.run((context) -> {
					awaitSubscribed(context);
					ArvadosEventSubscription subscription = context.getBean(ArvadosEventSubscription.class);
					LogEntry held = cluster.emit("update", stuck, Map.of());
					LogEntry behind = cluster.emit("create", stuck, Map.of());
					List<Long> others = new CopyOnWriteArrayList<>();
					for (int i = 0; i < 5; i++) {
						others.add(cluster.emit("create", FakeArvadosCluster.uuid("4zz18"), Map.of()).id());
					}
					await().atMost(WAIT).until(() -> handler.handled.containsAll(others));
					assertThat(subscription.heldEvents()).extracting(HeldEvent::eventId).containsExactly(held.id());
					assertThat(handler.handled).doesNotContain(held.id(), behind.id());
					assertThat(subscription.state().lowWaterMark()).isLessThan(held.id());
					subscription.release(held.id());
					await().atMost(WAIT).until(() -> handler.handled.contains(behind.id()));
				});
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "file", "jdbc" })
	void aRestartResumesAtTheHeldEvent(String store, @TempDir Path folder) {
		Failing handler = new Failing(Integer.MAX_VALUE);
		DataSource database = store.equals("jdbc") ? TestPostgres.newDatabase() : null;
		try (FakeArvadosCluster cluster = cluster().start()) {
			ApplicationContextRunner runner = runner(cluster, HOLD).withBean(Failing.class, () -> handler);
			runner = store.equals("file")
					? runner.withConfiguration(AutoConfigurations.of(ArvadosEventsCheckpointAutoConfiguration.class))
						.withPropertyValues("arvados.events.checkpoint.file=" + folder.resolve("position"))
					: runner
						.withConfiguration(AutoConfigurations.of(IntegrationAutoConfiguration.class,
								ArvadosEventsCheckpointAutoConfiguration.class))
						.withBean(DataSource.class, () -> database)
						.withPropertyValues("arvados.events.checkpoint.store=jdbc",
								"spring.integration.jdbc.initialize-schema=always");
			List<LogEntry> events = new CopyOnWriteArrayList<>();
			runner.run((context) -> {
				awaitSubscribed(context);
				ArvadosEventSubscription subscription = context.getBean(ArvadosEventSubscription.class);
				handler.failing.set(0);
				events.add(cluster.emit("update", FakeArvadosCluster.uuid("4zz18"), Map.of()));
				await().atMost(WAIT).until(() -> handler.handled.size() == 1);
				handler.failing.set(Integer.MAX_VALUE);
				events.add(cluster.emit("update", FakeArvadosCluster.uuid("4zz18"), Map.of()));
				events.add(cluster.emit("update", FakeArvadosCluster.uuid("4zz18"), Map.of()));
				await().atMost(WAIT).until(() -> !subscription.heldEvents().isEmpty());
			});
			handler.failing.set(0);
			runner.run((context) -> {
				awaitSubscribed(context);
				await().atMost(WAIT).until(() -> handler.handled.size() == 3);
				assertThat(handler.handled).containsExactly(events.get(0).id(), events.get(1).id(), events.get(2).id());
			});
		}
	}

	@Test
	void aLeaderRevokedWhileItHoldsAnEventHandsNothingMoreAndTheNextLeadStartsFromIt() {
		Failing handler = new Failing(Integer.MAX_VALUE);
		try (FakeArvadosCluster cluster = cluster().start()) {
			runner(cluster, HOLD).withBean(Failing.class, () -> handler).run((context) -> {
				awaitSubscribed(context);
				ArvadosEventSubscription subscription = context.getBean(ArvadosEventSubscription.class);
				LogEntry held = cluster.emit("update", FakeArvadosCluster.uuid("4zz18"), Map.of());
				LogEntry after = cluster.emit("update", FakeArvadosCluster.uuid("4zz18"), Map.of());
				await().atMost(WAIT).until(() -> !subscription.heldEvents().isEmpty());
				long start = System.nanoTime();
				subscription.takeRole(StreamRole.STANDBY);
				assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
				assertThat(subscription.heldEvents()).isEmpty();
				int calls = handler.calls.get(held.id()).get();
				assertThat(handler.calls).doesNotContainKey(after.id());
				handler.failing.set(0);
				subscription.takeRole(StreamRole.LEADER);
				await().atMost(WAIT).until(() -> handler.handled.size() == 2);
				assertThat(handler.handled).containsExactly(held.id(), after.id());
				assertThat(handler.calls.get(held.id())).hasValue(calls + 1);
			});
		}
	}

	private static ApplicationContextRunner observed(ApplicationContextRunner runner) {
		return runner
			.withConfiguration(AutoConfigurations.of(ArvadosEventsHealthContributorAutoConfiguration.class,
					ArvadosEventsEndpointAutoConfiguration.class, MetricsAutoConfiguration.class,
					CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
					ArvadosEventsMetricsAutoConfiguration.class))
			.withPropertyValues("management.endpoints.web.exposure.include=health,arvadosevents")
			.withUserConfiguration(Held.class);
	}

	/**
	 * Fails the first {@code failing} calls for each event of the given types (all by default), quoting the token as
	 * a careless message would; then succeeds.
	 */
	static class Failing {

		final Map<Long, AtomicInteger> calls = new ConcurrentHashMap<>();

		final List<Long> handled = new CopyOnWriteArrayList<>();

		final AtomicInteger failing;

		private final List<String> types;

		Failing(int failing, String... types) {
			this.failing = new AtomicInteger(failing);
			this.types = List.of(types);
		}

		@EventHandler
		void on(ArvadosEvent event) {
			int call = this.calls.computeIfAbsent(event.id(), (id) -> new AtomicInteger()).incrementAndGet();
			if (call <= this.failing.get() && (this.types.isEmpty() || this.types.contains(event.eventType()))) {
				throw new IllegalStateException("attempt " + call + " with https://x/?api_token=" + StreamTestSupport.TOKEN);
			}
			this.handled.add(event.id());
		}

	}

	static class Held {

		final List<HeldEvent> events = new CopyOnWriteArrayList<>();

		@EventListener
		void on(EventHeldEvent held) {
			this.events.add(held.getHeld());
		}

	}

}

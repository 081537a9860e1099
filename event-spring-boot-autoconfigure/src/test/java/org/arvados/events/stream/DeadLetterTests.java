package org.arvados.events.stream;

import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;
import org.arvados.events.actuate.ArvadosEventsEndpoint;
import org.arvados.events.autoconfigure.actuate.ArvadosEventsEndpointAutoConfiguration;
import org.arvados.events.autoconfigure.deadletter.ArvadosEventsDeadLetterAutoConfiguration;
import org.arvados.events.autoconfigure.health.ArvadosEventsHealthContributorAutoConfiguration;
import org.arvados.events.autoconfigure.metrics.ArvadosEventsMetricsAutoConfiguration;
import org.arvados.events.checkpoint.TestPostgres;
import org.arvados.events.deadletter.DeadLetter;
import org.arvados.events.deadletter.DeadLetters;
import org.arvados.events.deadletter.EventDeadLetterStore;
import org.arvados.events.dispatch.EventHandlerErrorHandler;
import org.arvados.events.health.ArvadosEventsHealthIndicator;
import org.arvados.events.subscription.ArvadosEventSubscription;
import org.arvados.events.test.FakeArvadosCluster;
import org.arvados.events.test.LogEntry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.arvados.events.stream.StreamTestSupport.WAIT;
import static org.arvados.events.stream.StreamTestSupport.awaitSubscribed;
import static org.arvados.events.stream.StreamTestSupport.cluster;
import static org.arvados.events.stream.StreamTestSupport.runner;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code handler-retry.exhausted: dead-letter} on a real PostgreSQL: an event whose handler still fails is set aside
 * in a table that survives a restart, counts as handled, and a replay hands it to its handler again.
 */
class DeadLetterTests {

	@Test
	void aDeadLetterSurvivesARestartAndAReplayDeliversItToItsHandler() {
		DataSource database = TestPostgres.newDatabase();
		HeldEventTests.Failing handler = new HeldEventTests.Failing(Integer.MAX_VALUE, "delete");
		List<Long> errorHandled = new java.util.concurrent.CopyOnWriteArrayList<>();
		try (FakeArvadosCluster cluster = cluster().start()) {
			ApplicationContextRunner runner = runner(cluster, "arvados.events.transport=websocket",
					"arvados.events.handler-retry.exhausted=dead-letter", "arvados.events.handler-retry.max-retries=1",
					"arvados.events.handler-retry.delay=10ms", "arvados.events.dead-letter.jdbc.initialize-schema=always",
					"management.endpoints.web.exposure.include=arvadosevents")
				.withConfiguration(AutoConfigurations.of(ArvadosEventsDeadLetterAutoConfiguration.class,
						ArvadosEventsEndpointAutoConfiguration.class, ArvadosEventsHealthContributorAutoConfiguration.class,
						MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
						SimpleMetricsExportAutoConfiguration.class, ArvadosEventsMetricsAutoConfiguration.class))
				.withBean(DataSource.class, () -> database)
				.withBean(HeldEventTests.Failing.class, () -> handler)
				.withBean(EventHandlerErrorHandler.class, () -> (event, name, error) -> errorHandled.add(event.id()));
			LogEntry[] deleted = new LogEntry[1];
			runner.run((context) -> {
				awaitSubscribed(context);
				ArvadosEventSubscription subscription = context.getBean(ArvadosEventSubscription.class);
				deleted[0] = cluster.emit("delete", FakeArvadosCluster.uuid("4zz18"), Map.of());
				LogEntry updated = cluster.emit("update", FakeArvadosCluster.uuid("4zz18"), Map.of());
				await().atMost(WAIT).until(() -> subscription.state().lowWaterMark() >= updated.id());
				assertThat(handler.handled).containsExactly(updated.id());
				assertThat(handler.calls.get(deleted[0].id())).hasValue(2);
				assertThat(errorHandled).as("set aside, not skipped").isEmpty();
				List<DeadLetter> letters = context.getBean(EventDeadLetterStore.class).list(10);
				assertThat(letters).singleElement().satisfies((letter) -> {
					assertThat(letter.eventId()).isEqualTo(deleted[0].id());
					assertThat(letter.handler()).isEqualTo(HeldEventTests.Failing.class.getName() + ".on");
					assertThat(letter.attempts()).isEqualTo(2);
					assertThat(letter.exceptionType()).isEqualTo(IllegalStateException.class.getName());
					assertThat(letter.message()).doesNotContain(StreamTestSupport.SECRET);
					assertThat(letter.eventJson()).contains("\"id\":" + deleted[0].id());
				});
				assertThat(context.getBean(DeadLetters.class).count()).isEqualTo(1);
				assertThat(context.getBean(ArvadosEventsHealthIndicator.class).health(true).getDetails())
					.containsEntry("deadLetters", 1L);
				assertThat(context.getBean(MeterRegistry.class).get("arvados.events.dead-letters").gauge().value())
					.isEqualTo(1);
				assertThat(context.getBean(MeterRegistry.class)
					.get("arvados.events.dead-letters.added")
					.tag("handler", HeldEventTests.Failing.class.getName() + ".on")
					.counter()
					.count()).isEqualTo(1);
			});
			handler.failing.set(0);
			runner.run((context) -> {
				awaitSubscribed(context);
				assertThat(context.getBean(DeadLetters.class).count()).as("kept through the restart").isEqualTo(1);
				assertThat(handler.handled).doesNotContain(deleted[0].id());
				assertThat(context.getBean(ArvadosEventsEndpoint.class).act("replay", null, null, null))
					.containsEntry("handled", 1)
					.containsEntry("failed", 0);
				assertThat(handler.handled).contains(deleted[0].id());
				assertThat(context.getBean(EventDeadLetterStore.class).count()).isZero();
				assertThat(context.getBean(DeadLetters.class).count()).isZero();
			});
		}
	}

	@Test
	void withoutAPlaceForDeadLettersStartUpSaysWhatIsMissing() {
		try (FakeArvadosCluster cluster = cluster().start()) {
			runner(cluster, "arvados.events.handler-retry.exhausted=dead-letter")
				.withConfiguration(AutoConfigurations.of(ArvadosEventsDeadLetterAutoConfiguration.class))
				.run((context) -> {
					assertThat(context).hasFailed();
					assertThat(context.getStartupFailure()).rootCause()
						.hasMessageContaining("arvados.events.handler-retry.exhausted=dead-letter needs")
						.hasMessageContaining("DataSource");
				});
		}
	}

}

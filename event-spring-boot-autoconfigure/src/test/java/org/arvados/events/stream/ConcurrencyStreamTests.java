package org.arvados.events.stream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import io.micrometer.core.instrument.MeterRegistry;
import org.arvados.events.ArvadosEvent;
import org.arvados.events.annotation.EventHandler;
import org.arvados.events.autoconfigure.metrics.ArvadosEventsMetricsAutoConfiguration;
import org.arvados.events.subscription.ArvadosEventSubscription;
import org.arvados.events.test.FakeArvadosCluster;
import org.arvados.events.test.LogEntry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.arvados.events.stream.StreamTestSupport.WAIT;
import static org.arvados.events.stream.StreamTestSupport.awaitSubscribed;
import static org.arvados.events.stream.StreamTestSupport.cluster;
import static org.arvados.events.stream.StreamTestSupport.runner;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code arvados.events.concurrency} end to end, over the WebSocket of a fake cluster: each object's events reach
 * the handlers in commit order and one at a time, several objects at once, and the position moves past every
 * event once its handlers returned.
 */
class ConcurrencyStreamTests {

	@Test
	void eachObjectsEventsArriveInOrderWhileObjectsRunInParallel() {
		try (FakeArvadosCluster cluster = cluster().start()) {
			runner(cluster, "arvados.events.concurrency=8")
				.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
						CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
						ArvadosEventsMetricsAutoConfiguration.class))
				.withUserConfiguration(Objects.class)
				.run((context) -> {
					awaitSubscribed(context);
					ObjectRecorder recorder = context.getBean(ObjectRecorder.class);
					List<String> objects = new ArrayList<>();
					for (int i = 0; i < 12; i++) {
						objects.add(FakeArvadosCluster.uuid("4zz18"));
					}
					List<LogEntry> emitted = new ArrayList<>();
					for (int i = 0; i < 240; i++) {
						emitted.add(cluster.emit("update", objects.get(i % objects.size()), Map.of()));
					}
					long last = emitted.get(emitted.size() - 1).id();
					ArvadosEventSubscription subscription = context.getBean(ArvadosEventSubscription.class);
					await().atMost(WAIT).until(() -> subscription.state().lowWaterMark() >= last);
					assertThat(recorder.violations).isEmpty();
					for (String object : objects) {
						List<Long> expected = emitted.stream()
							.filter((entry) -> entry.objectUuid().equals(object))
							.map(LogEntry::id)
							.toList();
						assertThat(recorder.byObject.get(object)).as(object).containsExactlyElementsOf(expected);
					}
					assertThat(recorder.mostAtOnce.get()).as("objects handled at once").isGreaterThan(1);
					MeterRegistry registry = context.getBean(MeterRegistry.class);
					assertThat(registry.get("arvados.events.handlers.object-wait").timer().count()).isEqualTo(240);
					assertThat(registry.get("arvados.events.handlers.in-flight").gauge().value()).isZero();
				});
		}
	}

	@Test
	void directDispatchAndAConcurrencyAboveOneAreRefusedTogether() {
		try (FakeArvadosCluster cluster = cluster().start()) {
			runner(cluster, "arvados.events.concurrency=4", "arvados.events.dispatch=direct")
				.run((context) -> assertThat(context).getFailure()
					.rootCause()
					.hasMessageContaining("set either arvados.events.dispatch=direct or a concurrency above 1"));
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class Objects {

		@Bean
		ObjectRecorder objectRecorder() {
			return new ObjectRecorder();
		}

	}

	static class ObjectRecorder {

		final Map<String, List<Long>> byObject = new ConcurrentHashMap<>();

		final Map<String, AtomicInteger> running = new ConcurrentHashMap<>();

		final AtomicInteger atOnce = new AtomicInteger();

		final AtomicInteger mostAtOnce = new AtomicInteger();

		final List<String> violations = new CopyOnWriteArrayList<>();

		@EventHandler
		void on(ArvadosEvent event) {
			if (this.running.computeIfAbsent(event.objectUuid(), (key) -> new AtomicInteger()).incrementAndGet() != 1) {
				this.violations.add("two events of " + event.objectUuid() + " at once");
			}
			this.mostAtOnce.accumulateAndGet(this.atOnce.incrementAndGet(), Math::max);
			this.byObject.computeIfAbsent(event.objectUuid(), (key) -> new CopyOnWriteArrayList<>()).add(event.id());
			// The handler's work: a call that takes a few milliseconds.
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(3));
			this.atOnce.decrementAndGet();
			this.running.get(event.objectUuid()).decrementAndGet();
		}

	}

}

package org.arvados.events.stream;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import org.arvados.events.ArvadosEvent;
import org.arvados.events.annotation.EventHandler;
import org.arvados.events.autoconfigure.metrics.ArvadosEventsMetricsAutoConfiguration;
import org.arvados.events.stream.StreamTestSupport.Recorder;
import org.arvados.events.test.FakeArvadosCluster;
import org.arvados.events.test.LogEntry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;

import static org.arvados.events.stream.StreamTestSupport.WAIT;
import static org.arvados.events.stream.StreamTestSupport.awaitSubscribed;
import static org.arvados.events.stream.StreamTestSupport.cluster;
import static org.arvados.events.stream.StreamTestSupport.emit;
import static org.arvados.events.stream.StreamTestSupport.runner;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A quiet cluster is not a lagging stream: once every event is handled, {@code arvados.events.lag} is zero and stays
 * zero, so an alert on it does not fire on an idle, healthy stream.
 */
class LagMetricTests {

	@Test
	void theLagIsZeroOnceEveryEventIsHandledHoweverLongTheClusterIsQuiet() {
		try (FakeArvadosCluster cluster = cluster().start()) {
			runner(cluster)
				.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
						CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
						ArvadosEventsMetricsAutoConfiguration.class))
				.run((context) -> {
					Recorder recorder = awaitSubscribed(context);
					LogEntry last = null;
					for (int i = 0; i < 3; i++) {
						last = emit(cluster);
					}
					long lastId = last.id();
					await().atMost(WAIT).until(() -> recorder.ids().contains(lastId));
					MeterRegistry registry = context.getBean(MeterRegistry.class);
					await().atMost(WAIT).until(() -> lagMillis(registry) == 0);
					// Quiet from now on: the lag must not grow with the time since the last event.
					await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> lagMillis(registry) == 0);
				});
		}
	}

	@Test
	void aHandlerThatDoesNotKeepUpShowsAsLagUntilItCatchesUp() {
		try (FakeArvadosCluster cluster = cluster().start()) {
			runner(cluster).withUserConfiguration(Held.class)
				.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
						CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
						ArvadosEventsMetricsAutoConfiguration.class))
				.run((context) -> {
					Recorder recorder = awaitSubscribed(context);
					MeterRegistry registry = context.getBean(MeterRegistry.class);
					LogEntry held = emit(cluster);
					// Its handlers run (and wait): the lag is its age, and grows.
					await().atMost(WAIT).until(() -> lagMillis(registry) >= 200);
					context.getBean(Held.class).release.countDown();
					await().atMost(WAIT).until(() -> recorder.ids().contains(held.id()));
					await().atMost(WAIT).until(() -> lagMillis(registry) == 0);
				});
		}
	}

	private static double lagMillis(MeterRegistry registry) {
		return registry.get("arvados.events.lag").timeGauge().value(TimeUnit.MILLISECONDS);
	}

	/** Holds the first event until released. */
	static class Held {

		final CountDownLatch release = new CountDownLatch(1);

		@EventHandler
		void hold(ArvadosEvent event) throws InterruptedException {
			this.release.await();
		}

	}

}

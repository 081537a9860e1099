package org.arvados.events.autoconfigure.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.arvados.events.autoconfigure.ArvadosEventHandlerAutoConfiguration;
import org.arvados.events.autoconfigure.ArvadosEventsAutoConfiguration;
import org.arvados.events.metrics.ArvadosEventsMeterBinder;
import org.arvados.events.metrics.EventHandlerMetricsObservationHandler;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class ArvadosEventsMetricsAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ArvadosEventHandlerAutoConfiguration.class,
				ArvadosEventsAutoConfiguration.class, MetricsAutoConfiguration.class,
				ArvadosEventsMetricsAutoConfiguration.class))
		.withPropertyValues("arvados.events.endpoint=http://127.0.0.1:9", "arvados.events.token=secret-token-42",
				"arvados.events.websocket.url=ws://127.0.0.1:9/websocket");

	@Test
	void bindsTheStreamsMetersToTheRegistry() {
		this.runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run((context) -> {
			assertThat(context).hasSingleBean(ArvadosEventsMeterBinder.class)
				.hasSingleBean(EventHandlerMetricsObservationHandler.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			for (String name : new String[] { "arvados.events.received", "arvados.events.duplicates",
					"arvados.events.malformed", "arvados.events.reconnects", "arvados.events.transport.switches",
					"arvados.events.pull.dropped", "arvados.events.queue.depth", "arvados.events.connected", "arvados.events.lag" }) {
				assertThat(registry.find(name).meter()).as(name).isNotNull();
			}
			assertThat(registry.get("arvados.events.connected").gauge().value()).isZero();
		});
	}

	@Test
	void withoutARegistryOnlyTheBinderIsReadyForOne() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(ArvadosEventsMeterBinder.class)
			.doesNotHaveBean(EventHandlerMetricsObservationHandler.class));
	}

	@Test
	void backsOffWithoutMicrometer() {
		this.runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(ArvadosEventsMeterBinder.class)
				.doesNotHaveBean(EventHandlerMetricsObservationHandler.class));
	}

	@Test
	void backsOffWhenTheStreamIsDisabled() {
		this.runner.withPropertyValues("arvados.events.enabled=false")
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.run((context) -> assertThat(context).doesNotHaveBean(ArvadosEventsMeterBinder.class));
	}

}

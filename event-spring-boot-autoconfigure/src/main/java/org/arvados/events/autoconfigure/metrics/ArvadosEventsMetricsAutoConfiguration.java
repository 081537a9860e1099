package org.arvados.events.autoconfigure.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.arvados.events.autoconfigure.ArvadosEventHandlerAutoConfiguration;
import org.arvados.events.autoconfigure.ArvadosEventsAutoConfiguration;
import org.arvados.events.deadletter.DeadLetters;
import org.arvados.events.metrics.ArvadosEventsMeterBinder;
import org.arvados.events.metrics.EventHandlerMetricsObservationHandler;
import org.arvados.events.metrics.HandlerRetryMetrics;
import org.arvados.events.retry.HeldEvents;
import org.arvados.events.subscription.ArvadosEventSubscription;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of the stream's Micrometer meters, when Micrometer is present: the subscription's counters
 * and gauges (bound to every registry by Spring Boot), and handler counters for applications with a
 * {@link MeterRegistry} (observed through the {@code ObservationRegistry}).
 */
@AutoConfiguration(after = { ArvadosEventHandlerAutoConfiguration.class, ArvadosEventsAutoConfiguration.class },
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
public final class ArvadosEventsMetricsAutoConfiguration {

	@Bean
	@ConditionalOnBean(ArvadosEventSubscription.class)
	@ConditionalOnMissingBean
	ArvadosEventsMeterBinder arvadosEventsMeterBinder(ArvadosEventSubscription subscription) {
		return new ArvadosEventsMeterBinder(subscription);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(MeterRegistry.class)
	static class HandlerMetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		EventHandlerMetricsObservationHandler arvadosEventHandlerMetricsObservationHandler(MeterRegistry registry) {
			return new EventHandlerMetricsObservationHandler(registry);
		}

		@Bean
		@ConditionalOnMissingBean
		HandlerRetryMetrics arvadosEventHandlerRetryMetrics(MeterRegistry registry) {
			return new HandlerRetryMetrics(registry);
		}

		@Bean
		@ConditionalOnBean(HeldEvents.class)
		MeterBinder arvadosHeldEventsMeterBinder(HeldEvents held) {
			return (registry) -> Gauge.builder("arvados.events.handler.held", held, HeldEvents::count)
				.description("Events held because their handler still fails after its retries")
				.register(registry);
		}

		@Bean
		@ConditionalOnBean(DeadLetters.class)
		MeterBinder arvadosDeadLettersMeterBinder(DeadLetters deadLetters) {
			return (registry) -> {
				Gauge.builder("arvados.events.dead-letters", deadLetters, DeadLetters::count)
					.description("Dead letters kept: events set aside because their handler still failed after its retries")
					.register(registry);
				deadLetters.onSetAside((letter) -> Counter.builder("arvados.events.dead-letters.added")
					.description("Events set aside as dead letters since the start, by handler")
					.tag("handler", letter.handler())
					.register(registry)
					.increment());
			};
		}

	}

}

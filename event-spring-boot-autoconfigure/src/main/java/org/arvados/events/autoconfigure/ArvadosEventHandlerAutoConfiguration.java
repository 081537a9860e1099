package org.arvados.events.autoconfigure;

import io.micrometer.observation.ObservationRegistry;
import org.arvados.events.annotation.EventHandlerListenerFactory;
import org.arvados.events.dispatch.EventHandlerErrorHandler;
import org.arvados.events.dispatch.LoggingEventHandlerErrorHandler;
import org.arvados.events.observation.EventHandlerObservationConvention;
import org.arvados.events.retry.HandlerRetry;
import org.arvados.events.retry.HandlerRetryListener;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.core.retry.support.CompositeRetryListener;

/**
 * Auto-configuration of {@link org.arvados.events.annotation.EventHandler @EventHandler} methods. Kept apart
 * from the stream itself so that handlers keep their filters and error handling when
 * {@code arvados.events.enabled=false} and events are published by other means (a test, a replay tool).
 */
@AutoConfiguration
@EnableConfigurationProperties(ArvadosEventHandlerRetryProperties.class)
public final class ArvadosEventHandlerAutoConfiguration {

	// Static: event listener factories are looked up while bean definitions are still being processed.
	@Bean
	static EventHandlerListenerFactory arvadosEventHandlerListenerFactory(
			ObjectProvider<EventHandlerErrorHandler> errorHandler, ObjectProvider<ObservationRegistry> observationRegistry,
			ObjectProvider<EventHandlerObservationConvention> observationConvention,
			ObjectProvider<ApplicationEventPublisher> publisher, ObjectProvider<HandlerRetry> retry) {
		return new EventHandlerListenerFactory(errorHandler, observationRegistry, observationConvention, publisher,
				retry);
	}

	@Bean
	@ConditionalOnMissingBean
	HandlerRetry arvadosEventHandlerRetry(ArvadosEventHandlerRetryProperties properties,
			ObjectProvider<HandlerRetryListener> listeners) {
		CompositeRetryListener listener = new CompositeRetryListener();
		listeners.orderedStream().forEach(listener::addListener);
		return new HandlerRetry(properties.toPolicy(), listener);
	}

	@Bean
	@ConditionalOnMissingBean
	EventHandlerErrorHandler arvadosEventHandlerErrorHandler() {
		return new LoggingEventHandlerErrorHandler();
	}

}

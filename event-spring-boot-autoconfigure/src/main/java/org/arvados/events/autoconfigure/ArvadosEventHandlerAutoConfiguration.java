package org.arvados.events.autoconfigure;

import java.util.Objects;

import io.micrometer.observation.ObservationRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.arvados.events.annotation.EventHandlerListenerFactory;
import org.arvados.events.deadletter.DeadLetterRedactor;
import org.arvados.events.deadletter.DeadLetters;
import org.arvados.events.deadletter.EventDeadLetterStore;
import org.arvados.events.dispatch.EventHandlerErrorHandler;
import org.arvados.events.dispatch.LoggingEventHandlerErrorHandler;
import org.arvados.events.lifecycle.EventHeldEvent;
import org.arvados.events.observation.EventHandlerObservationConvention;
import org.arvados.events.retry.HandlerRetry;
import org.arvados.events.retry.HandlerRetryListener;
import org.arvados.events.retry.HeldEvents;
import org.arvados.events.retry.WhenExhausted;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
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

	private static final Log logger = LogFactory.getLog(ArvadosEventHandlerAutoConfiguration.class);

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
			ObjectProvider<HandlerRetryListener> listeners, HeldEvents held, ObjectProvider<DeadLetters> deadLetters) {
		CompositeRetryListener listener = new CompositeRetryListener();
		listeners.orderedStream().forEach(listener::addListener);
		DeadLetters letters = deadLetters.getIfAvailable();
		if (properties.getExhausted() == WhenExhausted.DEAD_LETTER && letters == null) {
			throw new IllegalStateException("arvados.events.handler-retry.exhausted=dead-letter needs a place to keep "
					+ "dead letters: a DataSource (the starter keeps them in a table of it) or an "
					+ "EventDeadLetterStore bean of your own");
		}
		return new HandlerRetry(properties.toPolicy(), listener, properties.getExhausted(), properties.getMaxDelay(),
				held, letters);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(EventDeadLetterStore.class)
	DeadLetters arvadosDeadLetters(EventDeadLetterStore store, EventHandlerListenerFactory handlers) {
		return new DeadLetters(store, handlers::handler);
	}

	// Tokens are cut out of the last error the holds show, the configured one as well, as from a dead letter.
	@Bean
	@ConditionalOnMissingBean
	HeldEvents arvadosHeldEvents(ObjectProvider<ArvadosConnectionDetails> details,
			ObjectProvider<ApplicationEventPublisher> publisher) {
		ArvadosConnectionDetails connection = details.getIfAvailable();
		DeadLetterRedactor redactor = new DeadLetterRedactor((connection != null) ? connection.token() : null);
		HeldEvents held = new HeldEvents((text) -> Objects.requireNonNull(redactor.redact(text)));
		held.setOnHeld((event) -> {
			logger.warn("Arvados event " + event.eventId() + " is held: handler " + event.handler() + " still fails after "
					+ event.attempts() + " attempt(s) (" + event.lastError() + "); it is called again every "
					+ "handler-retry.max-delay until it succeeds, and the position stays on the event until then");
			publisher.ifAvailable((events) -> events.publishEvent(new EventHeldEvent(held, event)));
		});
		return held;
	}

	@Bean
	@ConditionalOnMissingBean
	EventHandlerErrorHandler arvadosEventHandlerErrorHandler() {
		return new LoggingEventHandlerErrorHandler();
	}

}

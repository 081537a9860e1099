package org.arvados.events.autoconfigure.actuate;

import org.arvados.events.actuate.ArvadosEventsEndpoint;
import org.arvados.events.autoconfigure.ArvadosEventHandlerAutoConfiguration;
import org.arvados.events.deadletter.DeadLetters;
import org.arvados.events.retry.HeldEvents;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of the {@code arvadosevents} endpoint, where the application has actuator and makes the
 * endpoint available (exposed over the web or JMX, and not turned off), as Boot's own endpoints are.
 */
@AutoConfiguration(after = ArvadosEventHandlerAutoConfiguration.class)
@ConditionalOnClass(name = { "org.springframework.boot.actuate.endpoint.annotation.Endpoint",
		"org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint" })
public final class ArvadosEventsEndpointAutoConfiguration {

	// Nested: its condition's class is read only once the actuator's auto-configuration is known to be there.
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnAvailableEndpoint(ArvadosEventsEndpoint.class)
	static class EndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBean(HeldEvents.class)
		ArvadosEventsEndpoint arvadosEventsEndpoint(HeldEvents held, ObjectProvider<DeadLetters> deadLetters) {
			return new ArvadosEventsEndpoint(held, deadLetters.getIfAvailable());
		}

	}

}

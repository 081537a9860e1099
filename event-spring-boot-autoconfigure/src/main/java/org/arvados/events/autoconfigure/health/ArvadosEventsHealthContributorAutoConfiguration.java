package org.arvados.events.autoconfigure.health;

import org.arvados.events.autoconfigure.ArvadosConnectionDetails;
import org.arvados.events.autoconfigure.ArvadosEventsAutoConfiguration;
import org.arvados.events.autoconfigure.ArvadosEventsProperties;
import org.arvados.events.deadletter.DeadLetters;
import org.arvados.events.health.ArvadosEventsHealthIndicator;
import org.arvados.events.retry.HeldEvents;
import org.arvados.events.subscription.ArvadosEventSubscription;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code arvadosEvents} health contributor, when {@code spring-boot-health} is present
 * and {@code management.health.arvados-events.enabled} is not false.
 */
@AutoConfiguration(after = ArvadosEventsAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(ArvadosEventSubscription.class)
@ConditionalOnEnabledHealthIndicator("arvados-events")
public final class ArvadosEventsHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "arvadosEventsHealthIndicator")
	ArvadosEventsHealthIndicator arvadosEventsHealthIndicator(ArvadosEventSubscription subscription,
			ArvadosConnectionDetails details, ArvadosEventsProperties properties, ObjectProvider<HeldEvents> held,
			ObjectProvider<DeadLetters> deadLetters) {
		ArvadosEventsHealthIndicator indicator = new ArvadosEventsHealthIndicator(subscription,
				details.endpoint().getHost(), properties.getHealth().getDownAfter());
		held.ifAvailable(indicator::setHeldEvents);
		deadLetters.ifAvailable(indicator::setDeadLetters);
		return indicator;
	}

}

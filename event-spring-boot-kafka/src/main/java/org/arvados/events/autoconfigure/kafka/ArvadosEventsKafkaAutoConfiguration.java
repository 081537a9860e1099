package org.arvados.events.autoconfigure.kafka;

import java.util.Objects;

import org.arvados.events.annotation.EventHandlerListenerFactory;
import org.arvados.events.autoconfigure.ArvadosEventHandlerAutoConfiguration;
import org.arvados.events.kafka.KafkaEventPublisher;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Auto-configuration of {@code arvados.events.kafka}: with a topic set and the application's {@link KafkaTemplate}
 * (Spring Boot's, from {@code spring.kafka.*}, or its own), a {@link KafkaEventPublisher} sends each event the
 * stream delivers to the topic. It sends on a copy of that template's producer factory, idempotent and with
 * {@code acks=all}; with {@code spring.kafka.producer.transaction-id-prefix} set, a transaction per event.
 */
@AutoConfiguration(after = ArvadosEventHandlerAutoConfiguration.class,
		afterName = "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration")
@ConditionalOnClass(KafkaTemplate.class)
@ConditionalOnBooleanProperty(name = "arvados.events.kafka.enabled", matchIfMissing = true)
@Conditional(OnTopicCondition.class)
@ConditionalOnSingleCandidate(KafkaTemplate.class)
// What turns a method with an Acknowledgment into a listener; without it the context would not start.
@ConditionalOnBean(EventHandlerListenerFactory.class)
@EnableConfigurationProperties(ArvadosEventsKafkaProperties.class)
public final class ArvadosEventsKafkaAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	KafkaEventPublisher arvadosEventsKafkaPublisher(KafkaTemplate<?, ?> kafkaTemplate,
			ArvadosEventsKafkaProperties properties) {
		ArvadosEventsKafkaProperties.Retry retry = properties.getRetry();
		ExponentialBackOff backOff = new ExponentialBackOff(retry.getInitialInterval().toMillis(), 2.0);
		backOff.setMaxInterval(retry.getMaxInterval().toMillis());
		return new KafkaEventPublisher(PublisherTemplates.of(kafkaTemplate.getProducerFactory()),
				Objects.requireNonNull(properties.getTopic()), backOff);
	}

}

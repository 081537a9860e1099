package org.arvados.events.autoconfigure.kafka;

import org.arvados.events.autoconfigure.ArvadosConnectionDetails;
import org.arvados.events.autoconfigure.ArvadosEventHandlerAutoConfiguration;
import org.arvados.events.autoconfigure.deadletter.ArvadosEventsDeadLetterAutoConfiguration;
import org.arvados.events.deadletter.DeadLetterRedactor;
import org.arvados.events.deadletter.EventDeadLetterStore;
import org.arvados.events.kafka.KafkaEventDeadLetterStore;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Dead letters to a Kafka topic: with the publisher's topic set and
 * {@code arvados.events.handler-retry.exhausted=dead-letter}, a {@link KafkaEventDeadLetterStore} sends each to
 * {@code arvados.events.kafka.dead-letter-topic} ({@code <topic>.DLT}). Before the JDBC store's auto-configuration:
 * an application that publishes to Kafka keeps its dead letters there. An application's own store replaces it.
 */
@AutoConfiguration(before = { ArvadosEventsDeadLetterAutoConfiguration.class, ArvadosEventHandlerAutoConfiguration.class },
		afterName = "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration")
@ConditionalOnClass(KafkaTemplate.class)
@ConditionalOnBooleanProperty(name = "arvados.events.kafka.enabled", matchIfMissing = true)
@ConditionalOnProperty(name = "arvados.events.handler-retry.exhausted", havingValue = "dead-letter")
@Conditional(OnTopicCondition.class)
@ConditionalOnSingleCandidate(KafkaTemplate.class)
@EnableConfigurationProperties(ArvadosEventsKafkaProperties.class)
public final class ArvadosEventsKafkaDeadLetterAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(EventDeadLetterStore.class)
	KafkaEventDeadLetterStore arvadosEventsKafkaDeadLetterStore(KafkaTemplate<?, ?> kafkaTemplate,
			ArvadosEventsKafkaProperties properties, ObjectProvider<ArvadosConnectionDetails> details) {
		ArvadosConnectionDetails connection = details.getIfAvailable();
		return new KafkaEventDeadLetterStore(PublisherTemplates.of(kafkaTemplate.getProducerFactory()),
				properties.deadLetterTopic(), new DeadLetterRedactor((connection != null) ? connection.token() : null));
	}

}

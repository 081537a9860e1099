package org.arvados.events.autoconfigure.kafka;

import java.util.Map;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;

import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.support.ProducerListener;

/**
 * The publisher's own template: a copy of the application's producer factory (its brokers, security, transactions,
 * listeners) with what the publisher's promises need, whatever the application chose for its own sends.
 */
final class PublisherTemplates {

	/**
	 * Idempotence and {@code acks=all}: a retry inside the client writes no duplicate and loses no order, and a send
	 * counts as done once every in-sync replica has it. Text keys and values: the key is the object's UUID, the value
	 * the event's JSON as received. No lingering: the publisher waits for each send, so a linger is only latency.
	 */
	static final Map<String, Object> OVERRIDES = Map.of(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
			ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
			ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class, ProducerConfig.LINGER_MS_CONFIG, 0);

	private PublisherTemplates() {
	}

	/**
	 * The publisher's template on a copy of a producer factory.
	 * @param factory the application's producer factory
	 * @return a template on the copy, which destroys it when destroyed
	 * @throws KafkaPublisherSetupException if the factory cannot be copied, or would not send text
	 */
	@SuppressWarnings("unchecked")
	static KafkaTemplate<String, String> of(ProducerFactory<?, ?> factory) {
		KafkaTemplate<String, String> template;
		try {
			template = new KafkaTemplate<>((ProducerFactory<String, String>) factory, OVERRIDES);
		}
		catch (UnsupportedOperationException ex) {
			throw new KafkaPublisherSetupException("arvados.events.kafka.topic is set, but the application's "
					+ "ProducerFactory (" + factory.getClass().getName() + ") cannot be copied with the publisher's "
					+ "settings (idempotence, acks=all, String serializers).", "Make the ProducerFactory bean a "
					+ "DefaultKafkaProducerFactory (Spring Boot's is one), or leave it to Spring Boot.", ex);
		}
		// The publisher says each failure itself, at a level by whether it passes; the default listener would add an
		// ERROR with the start of the event for every attempt.
		template.setProducerListener(new ProducerListener<>() {
		});
		ProducerFactory<String, String> copy = template.getProducerFactory();
		// Closing need not wait for a broker that is away: every event acknowledged has been written already, and
		// what is still in the producer is not acknowledged, so the next start sends it again. With the factory's
		// default (30 s), a stop while the broker is away would wait that long.
		if (copy instanceof DefaultKafkaProducerFactory<String, String> factoryCopy) {
			factoryCopy.setPhysicalCloseTimeout(0);
		}
		// Serializers given to the factory as objects win over the settings above: they must write text.
		check("key", copy.getKeySerializer());
		check("value", copy.getValueSerializer());
		return template;
	}

	private static void check(String part, @Nullable Serializer<?> serializer) {
		if (serializer != null && !(serializer instanceof StringSerializer)) {
			throw new KafkaPublisherSetupException("arvados.events.kafka.topic is set, but the application's "
					+ "ProducerFactory has a " + part + " serializer of its own (" + serializer.getClass().getName()
					+ "), while the publisher sends each " + part + " as text.", "Give the ProducerFactory its "
					+ "serializers as classes (spring.kafka.producer." + part + "-serializer), not as objects, or "
					+ "use a StringSerializer.");
		}
	}

}

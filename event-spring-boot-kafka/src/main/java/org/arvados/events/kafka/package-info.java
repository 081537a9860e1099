/**
 * Publishing the stream to Kafka: {@link org.arvados.events.kafka.KafkaEventPublisher} sends each event the stream
 * delivers to a topic, keyed by its object, and lets the position move only once Kafka has it.
 */
@NullMarked
package org.arvados.events.kafka;

import org.jspecify.annotations.NullMarked;

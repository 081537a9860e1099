package org.arvados.events.kafka;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.arvados.events.ArvadosEvent;

import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;

/**
 * An event as a Kafka record: the value is the event as the stream received it, the key its object.
 */
final class EventRecords {

	private EventRecords() {
	}

	/**
	 * The record for an event. Keyed by {@code object_uuid}, so that each object's events share a partition and a
	 * consumer group sees them in order; events without an object share the empty key, as they share one place in
	 * the starter's order. No timestamp: the producer's (the time of sending), since a record dated at its event
	 * would be due for deletion at once when an old event is caught up.
	 * @param topic the topic
	 * @param event the event
	 * @return the record, with the {@link ArvadosEventHeaders}
	 */
	static ProducerRecord<String, String> of(String topic, ArvadosEvent event) {
		RecordHeaders headers = new RecordHeaders();
		headers.add(ArvadosEventHeaders.EVENT_ID, utf8(Long.toString(event.id())));
		headers.add(ArvadosEventHeaders.EVENT_TYPE, utf8(event.eventType()));
		headers.add(ArvadosEventHeaders.OBJECT_KIND, utf8(event.objectKind()));
		return new ProducerRecord<>(topic, null, null, Objects.requireNonNullElse(event.objectUuid(), ""),
				event.json(), headers);
	}

	/**
	 * Send a record and wait until Kafka has it: in a transaction of its own when the template is transactional.
	 * Completes within the producer's {@code delivery.timeout.ms} (after its commit, in a transaction), or fails.
	 * @param kafka the template
	 * @param record the record
	 * @return what Kafka said of it
	 */
	static SendResult<String, String> sendAndWait(KafkaTemplate<String, String> kafka,
			ProducerRecord<String, String> record) throws InterruptedException, ExecutionException {
		CompletableFuture<SendResult<String, String>> sent = kafka.isTransactional()
				? kafka.executeInTransaction((operations) -> operations.send(record)) : kafka.send(record);
		return Objects.requireNonNull(sent).get();
	}

	static byte[] utf8(String text) {
		return Objects.requireNonNullElse(text, "").getBytes(StandardCharsets.UTF_8);
	}

}

package org.arvados.events.docs.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.arvados.events.kafka.ArvadosEventHeaders;

import org.springframework.kafka.annotation.KafkaListener;

/**
 * A consumer of the topic in another service, one of a group: it drops the repeats a crash or a fail-over may send.
 */
class IndexingConsumer {

	private final Index index;

	IndexingConsumer(Index index) {
		this.index = index;
	}

	// tag::consuming[]
	@KafkaListener(topics = "arvados-events", groupId = "collection-indexer")
	void on(ConsumerRecord<String, String> record) {
		long id = ArvadosEventHeaders.eventId(record.headers()).orElseThrow();
		if (index.isDone(id)) {
			return;                                     // a repeat, after a crash or a fail-over
		}
		index.update(record.key(), record.value());   // the object's UUID, the event's JSON
		index.markDone(id);
	}
	// end::consuming[]

	/** Where the consumer writes its work, and the ids it has done. */
	interface Index {

		boolean isDone(long eventId);

		void update(String objectUuid, String eventJson);

		void markDone(long eventId);

	}

}

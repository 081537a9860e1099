package org.arvados.events.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.arvados.events.ArvadosEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What a consumer finds in a record: the event as received, keyed by its object, with its id, type and kind in
 * headers.
 */
class EventRecordsTests {

	@Test
	void aRecordIsTheEventAsReceivedKeyedByItsObject() {
		ArvadosEvent event = Events.update(42, "zzzzz-4zz18-0123456789abcde");
		ProducerRecord<String, String> record = EventRecords.of("arvados-events", event);
		assertThat(record.topic()).isEqualTo("arvados-events");
		assertThat(record.key()).isEqualTo("zzzzz-4zz18-0123456789abcde");
		assertThat(record.value()).isSameAs(event.json());
		assertThat(record.partition()).isNull();
		// Sent now, not dated at the event: an old event caught up must not be due for deletion at once.
		assertThat(record.timestamp()).isNull();
		assertThat(text(record, ArvadosEventHeaders.EVENT_ID)).isEqualTo("42");
		assertThat(text(record, ArvadosEventHeaders.EVENT_TYPE)).isEqualTo("update");
		assertThat(text(record, ArvadosEventHeaders.OBJECT_KIND)).isEqualTo("arvados#collection");
		assertThat(ArvadosEventHeaders.eventId(record.headers())).hasValue(42);
	}

	@Test
	void eventsWithoutAKnownKindOrObjectStillCarryEveryHeaderAndShareOneKey() {
		ArvadosEvent event = new ArvadosEvent(7, "zzzzz-57u5n-000000000000007", "", "", "", "hello",
				Instant.EPOCH, Map.of(), "{}");
		ProducerRecord<String, String> record = EventRecords.of("t", event);
		assertThat(record.key()).isEmpty();
		assertThat(text(record, ArvadosEventHeaders.OBJECT_KIND)).isEmpty();
		assertThat(text(record, ArvadosEventHeaders.EVENT_TYPE)).isEqualTo("hello");
	}

	@Test
	void theEventIdOfARecordFromElsewhereIsEmpty() {
		RecordHeaders headers = new RecordHeaders();
		assertThat(ArvadosEventHeaders.eventId(headers)).isEmpty();
		headers.add(ArvadosEventHeaders.EVENT_ID, "x".getBytes(StandardCharsets.UTF_8));
		assertThatExceptionOfType(NumberFormatException.class).isThrownBy(() -> ArvadosEventHeaders.eventId(headers));
	}

	private static String text(ProducerRecord<String, String> record, String header) {
		return new String(record.headers().lastHeader(header).value(), StandardCharsets.UTF_8);
	}

}

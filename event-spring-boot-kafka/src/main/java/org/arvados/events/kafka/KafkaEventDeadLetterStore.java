package org.arvados.events.kafka;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.arvados.events.ArvadosEvent;
import org.arvados.events.deadletter.DeadLetter;
import org.arvados.events.deadletter.DeadLetterRedactor;
import org.arvados.events.deadletter.DeadLetterStoreException;
import org.arvados.events.deadletter.EventDeadLetterStore;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Dead letters in a Kafka topic ({@code <topic>.DLT} by default): each is the event's record as the publisher sends
 * it (keyed by object, the event as received, the {@link ArvadosEventHeaders}), with headers that say why:
 * {@link #HANDLER}, {@link #EXCEPTION}, {@link #MESSAGE} (the token cut out) and {@link #ATTEMPTS}. It counts as kept
 * once Kafka acknowledged it.
 * <p>
 * A topic is read by its consumers, not here: {@link #list}, {@link #find} and {@link #remove} find nothing, so the
 * starter's replay replays none of them; consume the topic to handle them again. {@link #count} is how many this
 * instance sent since it started.
 */
public class KafkaEventDeadLetterStore implements EventDeadLetterStore, DisposableBean {

	/** The handler that failed. */
	public static final String HANDLER = "arvados-dead-letter-handler";

	/** The failure's class name. */
	public static final String EXCEPTION = "arvados-dead-letter-exception";

	/** The failure's message, without the token. */
	public static final String MESSAGE = "arvados-dead-letter-message";

	/** How many times the handler was called. */
	public static final String ATTEMPTS = "arvados-dead-letter-attempts";

	private final KafkaTemplate<String, String> kafka;

	private final String topic;

	private final DeadLetterRedactor redactor;

	private final AtomicLong sent = new AtomicLong();

	/**
	 * @param kafka the template to send with (the publisher's: idempotent, {@code acks=all}); destroyed with this
	 * store
	 * @param topic the dead-letter topic
	 * @param redactor cuts the token out of the failure's message
	 */
	public KafkaEventDeadLetterStore(KafkaTemplate<String, String> kafka, String topic, DeadLetterRedactor redactor) {
		this.kafka = kafka;
		this.topic = topic;
		this.redactor = redactor;
	}

	@Override
	public DeadLetter add(ArvadosEvent event, String handler, Throwable failure, int attempts) {
		ProducerRecord<String, String> record = EventRecords.of(this.topic, event);
		String message = this.redactor.redact(failure.getMessage());
		record.headers().add(HANDLER, EventRecords.utf8(handler));
		record.headers().add(EXCEPTION, EventRecords.utf8(failure.getClass().getName()));
		if (message != null) {
			record.headers().add(MESSAGE, EventRecords.utf8(message));
		}
		record.headers().add(ATTEMPTS, EventRecords.utf8(Integer.toString(attempts)));
		RecordMetadata metadata;
		try {
			metadata = EventRecords.sendAndWait(this.kafka, record).getRecordMetadata();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new DeadLetterStoreException("Interrupted while sending Arvados event " + event.id()
					+ " to the dead-letter topic '" + this.topic + "'", ex);
		}
		catch (ExecutionException | RuntimeException ex) {
			throw new DeadLetterStoreException("Cannot send Arvados event " + event.id() + " to the dead-letter topic '"
					+ this.topic + "'", ex);
		}
		this.sent.incrementAndGet();
		return new DeadLetter(metadata.offset(), event.id(), event.json(), handler, failure.getClass().getName(), message,
				attempts, Instant.ofEpochMilli(metadata.timestamp()));
	}

	@Override
	public List<DeadLetter> list(int max) {
		return List.of();
	}

	@Override
	public List<DeadLetter> list(String handler, int max) {
		return List.of();
	}

	@Override
	public Optional<DeadLetter> find(long id) {
		return Optional.empty();
	}

	@Override
	public boolean remove(long id) {
		return false;
	}

	@Override
	public long count() {
		return this.sent.get();
	}

	/**
	 * The dead-letter topic.
	 * @return its name
	 */
	public String getTopic() {
		return this.topic;
	}

	@Override
	public void destroy() {
		this.kafka.destroy();
	}

}

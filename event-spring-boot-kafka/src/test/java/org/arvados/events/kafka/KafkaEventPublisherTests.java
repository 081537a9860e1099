package org.arvados.events.kafka;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.arvados.events.ArvadosEvent;
import org.arvados.events.lifecycle.StreamRole;
import org.arvados.events.lifecycle.StreamRoleChangedEvent;
import org.junit.jupiter.api.Test;

import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.mock.MockProducerFactory;
import org.springframework.util.backoff.FixedBackOff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The position moves only once Kafka has the event: the acknowledgment waits for the send, a send that fails is sent
 * again before the handler returns, and an interrupted one is never acknowledged.
 */
class KafkaEventPublisherTests {

	// Open for good: KafkaTemplate closes what the factory gives it after each send, as a real factory's producers
	// allow (only a real one's close leaves it open).
	private final MockProducer<String, String> producer = new MockProducer<>(false, null, new StringSerializer(),
			new StringSerializer()) {

		@Override
		public void close(Duration timeout) {
		}

	};

	private final KafkaEventPublisher publisher = new KafkaEventPublisher(
			new KafkaTemplate<>(new MockProducerFactory<>(() -> this.producer)), "events", new FixedBackOff(1));

	private final ArvadosEvent event = Events.update(9, "zzzzz-4zz18-0123456789abcde");

	@Test
	void theAcknowledgmentWaitsForKafka() {
		AtomicInteger acknowledged = new AtomicInteger();
		CompletableFuture<Void> handler = CompletableFuture
			.runAsync(() -> this.publisher.publish(this.event, acknowledged::incrementAndGet));
		await().until(() -> this.producer.history().size() == 1);
		assertThat(handler).isNotDone();
		assertThat(acknowledged).hasValue(0);
		this.producer.completeNext();
		handler.join();
		assertThat(acknowledged).hasValue(1);
		ProducerRecord<String, String> record = this.producer.history().get(0);
		assertThat(record.topic()).isEqualTo("events");
		assertThat(record.key()).isEqualTo(this.event.objectUuid());
		assertThat(record.value()).isEqualTo(this.event.json());
	}

	@Test
	void aSendThatFailsIsSentAgainBeforeTheHandlerReturns() {
		AtomicInteger acknowledged = new AtomicInteger();
		CompletableFuture<Void> handler = CompletableFuture
			.runAsync(() -> this.publisher.publish(this.event, acknowledged::incrementAndGet));
		await().until(() -> this.producer.history().size() == 1);
		this.producer.errorNext(new NotLeaderOrFollowerException("leader moved"));
		await().until(() -> this.producer.history().size() == 2);
		assertThat(handler).isNotDone();
		assertThat(acknowledged).hasValue(0);
		this.producer.completeNext();
		handler.join();
		assertThat(acknowledged).hasValue(1);
		assertThat(this.producer.history()).extracting(ProducerRecord::value)
			.containsExactly(this.event.json(), this.event.json());
	}

	@Test
	void anInterruptedSendIsNeverAcknowledged() throws InterruptedException {
		AtomicInteger acknowledged = new AtomicInteger();
		Thread handler = new Thread(() -> this.publisher.publish(this.event, acknowledged::incrementAndGet));
		handler.start();
		await().until(() -> this.producer.history().size() == 1);
		handler.interrupt();
		handler.join();
		// Kafka answering afterwards changes nothing: the next start sends the event again.
		this.producer.completeNext();
		assertThat(acknowledged).hasValue(0);
	}

	@Test
	void losingTheLeadEndsTheSendUnacknowledgedAndGainingItDoesNot() throws InterruptedException {
		AtomicInteger acknowledged = new AtomicInteger();
		Thread leading = new Thread(() -> this.publisher.publish(this.event, acknowledged::incrementAndGet));
		leading.start();
		await().until(() -> this.producer.history().size() == 1);
		this.publisher.roleChanged(new StreamRoleChangedEvent(this, StreamRole.LEADER));
		this.producer.completeNext();
		leading.join();
		assertThat(acknowledged).hasValue(1);

		Thread deposed = new Thread(() -> this.publisher.publish(this.event, acknowledged::incrementAndGet));
		deposed.start();
		await().until(() -> this.producer.history().size() == 2);
		this.publisher.roleChanged(new StreamRoleChangedEvent(this, StreamRole.STANDBY));
		deposed.join();
		this.producer.completeNext();
		assertThat(acknowledged).hasValue(1);
	}

}

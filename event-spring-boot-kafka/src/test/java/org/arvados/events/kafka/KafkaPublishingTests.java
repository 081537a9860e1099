package org.arvados.events.kafka;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.arvados.events.subscription.ArvadosEventSubscription;
import org.arvados.events.test.FakeArvadosCluster;
import org.arvados.events.test.LogEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.MessageListener;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.kafka.test.utils.ContainerTestUtils;
import org.springframework.kafka.test.utils.KafkaTestUtils;

import static org.arvados.events.kafka.KafkaTestSupport.WAIT;
import static org.arvados.events.kafka.KafkaTestSupport.awaitSubscribed;
import static org.arvados.events.kafka.KafkaTestSupport.cluster;
import static org.arvados.events.kafka.KafkaTestSupport.collections;
import static org.arvados.events.kafka.KafkaTestSupport.emitInterleaved;
import static org.arvados.events.kafka.KafkaTestSupport.endOffsets;
import static org.arvados.events.kafka.KafkaTestSupport.eventId;
import static org.arvados.events.kafka.KafkaTestSupport.newTopic;
import static org.arvados.events.kafka.KafkaTestSupport.read;
import static org.arvados.events.kafka.KafkaTestSupport.runner;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The stream of a (fake) cluster published to a real broker: every event lands once, in its object's partition, in
 * order, as it came; a consumer group of three gets each object's events in order.
 */
@EmbeddedKafka(brokerProperties = { "transaction.state.log.replication.factor=1", "transaction.state.log.min.isr=1" })
@ExtendWith(OutputCaptureExtension.class)
class KafkaPublishingTests {

	@Test
	void everyEventLandsOnceAsItCameInItsObjectsPartitionInOrder(EmbeddedKafkaBroker broker, CapturedOutput output) {
		String topic = newTopic(broker, 3);
		try (FakeArvadosCluster cluster = cluster()) {
			runner(cluster, broker, topic).run((context) -> {
				ArvadosEventSubscription subscription = awaitSubscribed(context);
				List<LogEntry> emitted = emitInterleaved(cluster, collections(4), 10);
				List<ConsumerRecord<String, String>> records = read(broker, topic, emitted.size(), false);

				// Once: as many records as events, no more, each event's id among them.
				assertThat(endOffsets(broker, topic)).isEqualTo(emitted.size());
				assertThat(records).extracting(KafkaTestSupport::eventId)
					.containsExactlyInAnyOrderElementsOf(emitted.stream().map(LogEntry::id).toList());
				Map<Long, LogEntry> byId = emitted.stream().collect(Collectors.toMap(LogEntry::id, (e) -> e));
				KafkaTestSupport.Delivered delivered = context.getBean(KafkaTestSupport.Delivered.class);
				for (ConsumerRecord<String, String> record : records) {
					LogEntry event = byId.get(eventId(record));
					assertThat(record.key()).isEqualTo(event.objectUuid());
					assertThat(record.value()).isEqualTo(delivered.byId.get(event.id()).json());
					assertThat(header(record, ArvadosEventHeaders.EVENT_TYPE)).isEqualTo("update");
					assertThat(header(record, ArvadosEventHeaders.OBJECT_KIND)).isEqualTo("arvados#collection");
				}
				// Each object in one partition, its events in the order committed.
				Map<String, Set<Integer>> partitions = new LinkedHashMap<>();
				records.forEach((record) -> partitions.computeIfAbsent(record.key(), (key) -> new HashSet<>())
					.add(record.partition()));
				assertThat(partitions.values()).allSatisfy((used) -> assertThat(used).hasSize(1));
				assertThat(idsByObject(records)).isEqualTo(idsByObject(emitted));
				// The position passed every event once Kafka had it.
				await().atMost(WAIT)
					.until(() -> subscription.state().lowWaterMark() == emitted.get(emitted.size() - 1).id());
			});
		}
		assertThat(output).doesNotContain(KafkaTestSupport.SECRET);
	}

	@Test
	void withATransactionIdPrefixEachEventIsATransactionOfItsOwn(EmbeddedKafkaBroker broker) {
		String topic = newTopic(broker, 1);
		try (FakeArvadosCluster cluster = cluster()) {
			runner(cluster, broker, topic).withPropertyValues("spring.kafka.producer.transaction-id-prefix=arvados-tx-")
				.run((context) -> {
					awaitSubscribed(context);
					List<LogEntry> emitted = emitInterleaved(cluster, collections(1), 5);
					List<ConsumerRecord<String, String>> records = read(broker, topic, emitted.size(), true);
					assertThat(records).extracting(KafkaTestSupport::eventId)
						.containsExactlyElementsOf(emitted.stream().map(LogEntry::id).toList());
					// Each commit writes a marker after its record: one transaction per event.
					assertThat(records).extracting(ConsumerRecord::offset).containsExactly(0L, 2L, 4L, 6L, 8L);
				});
		}
	}

	@Test
	void aConsumerGroupOfThreeGetsEachObjectsEventsInOrder(EmbeddedKafkaBroker broker) {
		String topic = newTopic(broker, 6);
		// What each consumer of the group got, in the order it got it.
		List<Consumed> consumed = new CopyOnWriteArrayList<>();
		ConcurrentMessageListenerContainer<String, String> group = group(broker, topic,
				(record) -> consumed.add(new Consumed(eventId(record), Thread.currentThread().getName())));
		try (FakeArvadosCluster cluster = cluster()) {
			group.start();
			// Not only six partitions assigned: the first consumer to join has them all until the others do.
			await().atMost(WAIT)
				.until(() -> group.getContainers()
					.stream()
					.allMatch((consumer) -> !consumer.getAssignedPartitions().isEmpty()));
			ContainerTestUtils.waitForAssignment(group, 6);
			// Handlers on four threads: the events of different objects are sent in parallel.
			runner(cluster, broker, topic).withPropertyValues("arvados.events.concurrency=4").run((context) -> {
				awaitSubscribed(context);
				List<LogEntry> emitted = emitInterleaved(cluster, collections(30), 5);
				await().atMost(WAIT).until(() -> consumed.size() >= emitted.size());
				Map<Long, String> objectOf = emitted.stream()
					.collect(Collectors.toMap(LogEntry::id, LogEntry::objectUuid));
				Map<String, List<Long>> receivedByObject = new LinkedHashMap<>();
				Map<String, Set<String>> consumersOfObject = new LinkedHashMap<>();
				for (Consumed one : consumed) {
					String object = objectOf.get(one.id());
					receivedByObject.computeIfAbsent(object, (key) -> new ArrayList<>()).add(one.id());
					consumersOfObject.computeIfAbsent(object, (key) -> new HashSet<>()).add(one.consumer());
				}
				// Each object with one consumer, which got its events once and in order; the three shared the work.
				assertThat(consumersOfObject.values()).allSatisfy((consumers) -> assertThat(consumers).hasSize(1));
				assertThat(receivedByObject).isEqualTo(idsByObject(emitted));
				assertThat(consumersOfObject.values().stream().flatMap(Set::stream).distinct()).hasSize(3);
			});
		}
		finally {
			group.stop();
		}
	}

	private static ConcurrentMessageListenerContainer<String, String> group(EmbeddedKafkaBroker broker, String topic,
			MessageListener<String, String> listener) {
		Map<String, Object> properties = KafkaTestUtils.consumerProps(broker, "workers", false);
		properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
		properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
		ContainerProperties container = new ContainerProperties(topic);
		container.setMessageListener(listener);
		ConcurrentMessageListenerContainer<String, String> group = new ConcurrentMessageListenerContainer<>(
				new DefaultKafkaConsumerFactory<>(properties), container);
		group.setConcurrency(3);
		group.setBeanName("workers");
		return group;
	}

	private static Map<String, List<Long>> idsByObject(List<?> eventsOrRecords) {
		Map<String, List<Long>> ids = new LinkedHashMap<>();
		for (Object item : eventsOrRecords) {
			if (item instanceof LogEntry event) {
				ids.computeIfAbsent(event.objectUuid(), (key) -> new ArrayList<>()).add(event.id());
			}
			else if (item instanceof ConsumerRecord<?, ?> record) {
				@SuppressWarnings("unchecked")
				ConsumerRecord<String, String> typed = (ConsumerRecord<String, String>) record;
				ids.computeIfAbsent(typed.key(), (key) -> new ArrayList<>()).add(eventId(typed));
			}
		}
		return ids;
	}

	private record Consumed(long id, String consumer) {
	}

	private static String header(ConsumerRecord<String, String> record, String name) {
		return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
	}

}

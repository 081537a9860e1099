package org.arvados.events.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.arvados.events.ArvadosEvent;
import org.arvados.events.annotation.EventHandler;
import org.arvados.events.autoconfigure.ArvadosEventHandlerAutoConfiguration;
import org.arvados.events.autoconfigure.ArvadosEventsAutoConfiguration;
import org.arvados.events.autoconfigure.kafka.ArvadosEventsKafkaAutoConfiguration;
import org.arvados.events.subscription.ArvadosEventSubscription;
import org.arvados.events.test.FakeArvadosCluster;
import org.arvados.events.test.LogEntry;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.utils.KafkaTestUtils;

import static org.awaitility.Awaitility.await;

/**
 * What the tests on a real broker share: the starter following a fake cluster and publishing to an embedded
 * broker, fresh topics, and a consumer that reads a topic from its start.
 */
final class KafkaTestSupport {

	/** Distinctive, so that a leak is easy to find in captured output. */
	static final String TOKEN = "v2/zzzzz-gj3su-k4fk4t0k3nn0tl0g/Kafka-s3cr3t-Plover";

	/** The secret part of the token: what must not show. */
	static final String SECRET = "Kafka-s3cr3t-Plover";

	static final Duration WAIT = Duration.ofSeconds(30);

	private static final AtomicInteger topics = new AtomicInteger();

	private KafkaTestSupport() {
	}

	static FakeArvadosCluster cluster() {
		return FakeArvadosCluster.builder().token(TOKEN).start();
	}

	/**
	 * The starter on the real auto-configurations, following the cluster and publishing to the topic, with short
	 * waits between attempts.
	 */
	static ApplicationContextRunner runner(FakeArvadosCluster cluster, EmbeddedKafkaBroker broker, String topic) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ArvadosEventHandlerAutoConfiguration.class,
					ArvadosEventsAutoConfiguration.class, KafkaAutoConfiguration.class,
					ArvadosEventsKafkaAutoConfiguration.class))
			.withUserConfiguration(Delivered.class)
			.withPropertyValues("arvados.events.endpoint=" + cluster.endpoint(),
					"arvados.events.token=" + cluster.token(), "arvados.events.transport=websocket",
					"arvados.events.reconnect.initial-interval=50ms", "arvados.events.reconnect.max-interval=500ms",
					"arvados.events.reconnect.jitter=10ms", "spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
					"arvados.events.kafka.topic=" + topic, "arvados.events.kafka.retry.initial-interval=50ms",
					"arvados.events.kafka.retry.max-interval=200ms");
	}

	static ArvadosEventSubscription awaitSubscribed(AssertableApplicationContext context) {
		ArvadosEventSubscription subscription = context.getBean(ArvadosEventSubscription.class);
		// With start-from: latest, what is committed before the stream knows where it stands is not delivered.
		await().atMost(WAIT).until(() -> subscription.state().connected());
		return subscription;
	}

	static String newTopic(EmbeddedKafkaBroker broker, int partitions) {
		String name = "arvados-events-" + topics.incrementAndGet();
		broker.addTopics(new NewTopic(name, partitions, (short) 1));
		return name;
	}

	/**
	 * Emit events on objects in turn: the first event of each object, then the second of each, and so on.
	 * @return the events in the order they were committed
	 */
	static List<LogEntry> emitInterleaved(FakeArvadosCluster cluster, List<String> objects, int eachTimes) {
		List<LogEntry> emitted = new ArrayList<>();
		for (int round = 0; round < eachTimes; round++) {
			for (String object : objects) {
				emitted.add(cluster.emit("update", object, Map.of("new_attributes", Map.of("name", "round " + round))));
			}
		}
		return emitted;
	}

	static List<String> collections(int count) {
		List<String> objects = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			objects.add(FakeArvadosCluster.uuid("4zz18"));
		}
		return objects;
	}

	/**
	 * Read a topic from its start until it has given at least {@code count} records, in the order of each partition.
	 * @param readCommitted whether to skip what aborted transactions wrote
	 */
	static List<ConsumerRecord<String, String>> read(EmbeddedKafkaBroker broker, String topic, int count,
			boolean readCommitted) {
		Map<String, Object> properties = KafkaTestUtils.consumerProps(broker, "reader-" + UUID.randomUUID(), false);
		properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, readCommitted ? "read_committed" : "read_uncommitted");
		List<ConsumerRecord<String, String>> records = new ArrayList<>();
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties, new StringDeserializer(),
				new StringDeserializer())) {
			// Every partition by hand: no group to join, which takes seconds.
			consumer.assign(partitions(consumer, topic));
			await().atMost(WAIT).until(() -> {
				consumer.poll(Duration.ofMillis(200)).forEach(records::add);
				return records.size() >= count;
			});
		}
		return records;
	}

	/** How many records the topic holds, all partitions together (transaction markers count too). */
	static long endOffsets(EmbeddedKafkaBroker broker, String topic) {
		Map<String, Object> properties = KafkaTestUtils.consumerProps(broker, "offsets-" + UUID.randomUUID(), false);
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties, new StringDeserializer(),
				new StringDeserializer())) {
			return consumer.endOffsets(partitions(consumer, topic)).values().stream().mapToLong(Long::longValue).sum();
		}
	}

	private static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
		return consumer.partitionsFor(topic)
			.stream()
			.map((partition) -> new TopicPartition(topic, partition.partition()))
			.toList();
	}

	static long eventId(ConsumerRecord<String, String> record) {
		return ArvadosEventHeaders.eventId(record.headers()).orElseThrow();
	}

	/**
	 * Records each event the stream delivered, as delivered, to compare with what reached Kafka; before the
	 * publisher, so that an event recorded here is one the publisher is given next.
	 */
	static class Delivered {

		final Map<Long, ArvadosEvent> byId = new ConcurrentHashMap<>();

		@EventHandler
		@Order(Ordered.HIGHEST_PRECEDENCE)
		void on(ArvadosEvent event) {
			this.byId.put(event.id(), event);
		}

	}

}

package org.arvados.events.sample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.arvados.events.kafka.ArvadosEventHeaders;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.kafka.test.utils.KafkaTestUtils;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code kafka} profile publishes the demo stream of the embedded cluster to its topic, on a broker in the JVM
 * in place of {@code SAMPLE_KAFKA_SERVERS}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "ARVADOS_API_HOST=", "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}" })
@ActiveProfiles("kafka")
@EmbeddedKafka(topics = "arvados-events", partitions = 3)
class KafkaProfileTests {

	@Autowired
	EmbeddedKafkaBroker broker;

	@Test
	void publishesTheStreamItFollowsKeyedByObject() {
		Map<String, Object> properties = KafkaTestUtils.consumerProps(this.broker, "sample-test", false);
		properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		List<ConsumerRecord<String, String>> records = new ArrayList<>();
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties, new StringDeserializer(),
				new StringDeserializer())) {
			this.broker.consumeFromAnEmbeddedTopic(consumer, "arvados-events");
			await().atMost(Duration.ofSeconds(30)).until(() -> {
				consumer.poll(Duration.ofMillis(200)).forEach(records::add);
				return records.size() >= 5;
			});
		}
		assertThat(records).allSatisfy((record) -> {
			assertThat(record.key()).matches("zzzzz-[0-9a-z]{5}-[0-9a-z]{15}");
			assertThat(record.value()).contains("\"object_uuid\":\"" + record.key() + "\"");
			assertThat(ArvadosEventHeaders.eventId(record.headers())).isPresent();
		});
	}

}

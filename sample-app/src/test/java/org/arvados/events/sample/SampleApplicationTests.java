package org.arvados.events.sample;

import java.time.Duration;

import org.arvados.events.kafka.KafkaEventPublisher;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

// A developer's own ARVADOS_API_HOST must not turn this test into one against a real cluster.
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "ARVADOS_API_HOST=")
class SampleApplicationTests {

	@Autowired
	CollectionWatcher collections;

	@Autowired
	ContainerRequestWatcher requests;

	@Autowired
	ObjectProvider<KafkaEventPublisher> kafkaPublisher;

	@Test
	void followsTheEmbeddedClusterWhenNoneIsConfigured() {
		await().atMost(Duration.ofSeconds(30)).until(() -> this.collections.seen() >= 3 && this.requests.finished() >= 1);
	}

	// The Kafka module is on the class path for the 'kafka' profile; without its topic it publishes nothing.
	@Test
	void publishesToKafkaOnlyWithTheKafkaProfile() {
		assertThat(this.kafkaPublisher.getIfAvailable()).isNull();
	}

}

package org.arvados.events.kafka;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.arvados.events.ArvadosEvent;
import org.arvados.events.annotation.EventHandler;
import org.arvados.events.autoconfigure.kafka.ArvadosEventsKafkaDeadLetterAutoConfiguration;
import org.arvados.events.deadletter.EventDeadLetterStore;
import org.arvados.events.subscription.ArvadosEventSubscription;
import org.arvados.events.test.FakeArvadosCluster;
import org.arvados.events.test.LogEntry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

import static org.arvados.events.kafka.KafkaTestSupport.WAIT;
import static org.arvados.events.kafka.KafkaTestSupport.awaitSubscribed;
import static org.arvados.events.kafka.KafkaTestSupport.cluster;
import static org.arvados.events.kafka.KafkaTestSupport.newTopic;
import static org.arvados.events.kafka.KafkaTestSupport.read;
import static org.arvados.events.kafka.KafkaTestSupport.runner;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With the publisher's topic and {@code handler-retry.exhausted=dead-letter}, an event whose handler still fails
 * goes to {@code <topic>.DLT} as the publisher would send it, with headers that say why, and counts as handled.
 */
@EmbeddedKafka
class KafkaDeadLetterTests {

	@Test
	void anEventWhoseHandlerStillFailsLandsInTheDeadLetterTopicWithWhy(EmbeddedKafkaBroker broker) {
		String topic = newTopic(broker, 1);
		broker.addTopics(topic + ".DLT");
		try (FakeArvadosCluster cluster = cluster()) {
			runner(cluster, broker, topic)
				.withConfiguration(AutoConfigurations.of(ArvadosEventsKafkaDeadLetterAutoConfiguration.class))
				.withPropertyValues("arvados.events.handler-retry.exhausted=dead-letter",
						"arvados.events.handler-retry.max-retries=1", "arvados.events.handler-retry.delay=10ms")
				.withUserConfiguration(FailsOnDelete.class)
				.run((context) -> {
					assertThat(context).getBean(EventDeadLetterStore.class).isInstanceOf(KafkaEventDeadLetterStore.class);
					ArvadosEventSubscription subscription = awaitSubscribed(context);
					LogEntry deleted = cluster.emit("delete", FakeArvadosCluster.uuid("4zz18"), Map.of());
					LogEntry updated = cluster.emit("update", FakeArvadosCluster.uuid("4zz18"), Map.of());
					List<ConsumerRecord<String, String>> letters = read(broker, topic + ".DLT", 1, true);
					assertThat(letters).singleElement().satisfies((letter) -> {
						assertThat(KafkaTestSupport.eventId(letter)).isEqualTo(deleted.id());
						assertThat(letter.key()).isEqualTo(deleted.objectUuid());
						assertThat(header(letter, KafkaEventDeadLetterStore.HANDLER))
							.isEqualTo(FailsOnDelete.class.getName() + ".on");
						assertThat(header(letter, KafkaEventDeadLetterStore.EXCEPTION))
							.isEqualTo(IllegalStateException.class.getName());
						assertThat(header(letter, KafkaEventDeadLetterStore.MESSAGE)).isEqualTo("gone ******")
							.doesNotContain(KafkaTestSupport.SECRET);
						assertThat(header(letter, KafkaEventDeadLetterStore.ATTEMPTS)).isEqualTo("2");
					});
					await().atMost(WAIT).until(() -> subscription.state().lowWaterMark() >= updated.id());
					assertThat(context.getBean(EventDeadLetterStore.class).count()).isEqualTo(1);
				});
		}
	}

	@Test
	void onlyWithATopicAndDeadLettersAskedAndNoStoreOfTheApplications() {
		ApplicationContextRunner runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class,
					ArvadosEventsKafkaDeadLetterAutoConfiguration.class))
			.withPropertyValues("spring.kafka.bootstrap-servers=127.0.0.1:9", "arvados.events.kafka.topic=events");
		runner.run((context) -> assertThat(context).doesNotHaveBean(EventDeadLetterStore.class));
		runner.withPropertyValues("arvados.events.handler-retry.exhausted=dead-letter").run((context) -> {
			assertThat(context).getBean(KafkaEventDeadLetterStore.class)
				.extracting(KafkaEventDeadLetterStore::getTopic)
				.isEqualTo("events.DLT");
		});
		runner.withPropertyValues("arvados.events.handler-retry.exhausted=dead-letter",
				"arvados.events.kafka.dead-letter-topic=events-failed")
			.run((context) -> assertThat(context).getBean(KafkaEventDeadLetterStore.class)
				.extracting(KafkaEventDeadLetterStore::getTopic)
				.isEqualTo("events-failed"));
		runner.withPropertyValues("arvados.events.handler-retry.exhausted=dead-letter", "arvados.events.kafka.topic=")
			.run((context) -> assertThat(context).doesNotHaveBean(EventDeadLetterStore.class));
		EventDeadLetterStore own = org.mockito.Mockito.mock(EventDeadLetterStore.class);
		runner.withPropertyValues("arvados.events.handler-retry.exhausted=dead-letter")
			.withBean(EventDeadLetterStore.class, () -> own)
			.run((context) -> assertThat(context).getBean(EventDeadLetterStore.class).isSameAs(own));
	}

	private static String header(ConsumerRecord<String, String> record, String name) {
		return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
	}

	static class FailsOnDelete {

		@EventHandler(eventTypes = "delete")
		void on(ArvadosEvent event) {
			throw new IllegalStateException("gone " + KafkaTestSupport.TOKEN);
		}

	}

}

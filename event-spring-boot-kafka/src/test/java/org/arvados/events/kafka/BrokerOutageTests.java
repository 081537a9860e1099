package org.arvados.events.kafka;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import kafka.server.BrokerServer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.arvados.events.autoconfigure.checkpoint.ArvadosEventsCheckpointAutoConfiguration;
import org.arvados.events.subscription.ArvadosEventSubscription;
import org.arvados.events.test.FakeArvadosCluster;
import org.arvados.events.test.LogEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.kafka.test.condition.EmbeddedKafkaCondition;
import org.springframework.kafka.test.context.EmbeddedKafka;

import static org.arvados.events.kafka.KafkaTestSupport.WAIT;
import static org.arvados.events.kafka.KafkaTestSupport.awaitSubscribed;
import static org.arvados.events.kafka.KafkaTestSupport.cluster;
import static org.arvados.events.kafka.KafkaTestSupport.collections;
import static org.arvados.events.kafka.KafkaTestSupport.emitInterleaved;
import static org.arvados.events.kafka.KafkaTestSupport.eventId;
import static org.arvados.events.kafka.KafkaTestSupport.newTopic;
import static org.arvados.events.kafka.KafkaTestSupport.read;
import static org.arvados.events.kafka.KafkaTestSupport.runner;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The broker goes away and comes back (a real restart of the embedded broker, on its port and its data): nothing is
 * lost or skipped, each object's order holds, and a stop while it is away leaves the unsent event to the next start.
 */
// A broker that comes back is let in within a second or two, not after the old one's 9 s session.
@EmbeddedKafka(brokerProperties = { "broker.session.timeout.ms=1500", "broker.heartbeat.interval.ms=300" })
@ExtendWith(OutputCaptureExtension.class)
class BrokerOutageTests {

	// A send fails within two seconds while the broker is away, so that the publisher's own retry is what carries it.
	private static final String[] QUICK_FAILURES = { "spring.kafka.producer.properties.delivery.timeout.ms=2000",
			"spring.kafka.producer.properties.request.timeout.ms=1000",
			"spring.kafka.producer.properties.max.block.ms=1000",
			"spring.kafka.producer.properties.reconnect.backoff.max.ms=200" };

	@Test
	void aBrokerRestartLosesNothingAndKeepsEachObjectsOrder(EmbeddedKafkaBroker broker, CapturedOutput output) {
		String topic = newTopic(broker, 3);
		List<String> objects = collections(3);
		try (FakeArvadosCluster cluster = cluster()) {
			runner(cluster, broker, topic).withPropertyValues(QUICK_FAILURES).run((context) -> {
				ArvadosEventSubscription subscription = awaitSubscribed(context);
				List<LogEntry> emitted = new ArrayList<>(emitInterleaved(cluster, objects, 3));
				read(broker, topic, emitted.size(), false);

				BrokerServer server = server(broker);
				server.shutdown();
				server.awaitShutdown();
				List<LogEntry> whileAway = emitInterleaved(cluster, objects, 3);
				emitted.addAll(whileAway);
				LogEntry firstUnsent = whileAway.get(0);
				// Its send failed and is tried again; the position stays before it.
				await().atMost(WAIT).until(() -> output.getOut().contains("Arvados event " + firstUnsent.id() + " (object"));
				assertThat(subscription.state().lowWaterMark()).isLessThan(firstUnsent.id());

				server.startup();
				emitted.addAll(emitInterleaved(cluster, objects, 3));
				List<ConsumerRecord<String, String>> records = read(broker, topic, emitted.size(), false);
				Map<String, List<Long>> landed = idsByObject(records);
				// Nothing lost, each object in order. A send that timed out while it was being written may have
				// landed as well as its resend: a repeat, right after itself, never after a later event.
				assertThat(withoutRepeats(landed)).isEqualTo(idsByObject(emitted, objects));
				assertThat(landed.values()).allSatisfy((ids) -> assertThat(ids).isSorted());
				await().atMost(WAIT)
					.until(() -> subscription.state().lowWaterMark() == emitted.get(emitted.size() - 1).id());
				assertThat(output).contains("Sent Arvados event " + firstUnsent.id() + " to Kafka topic");
			});
		}
	}

	// At 1 the stop interrupts the dispatching thread; above 1 the publisher ends the sends its stop let go.
	@ParameterizedTest(name = "concurrency {0}")
	@ValueSource(ints = { 1, 4 })
	void aStopWhileTheBrokerIsAwayEndsTheSendAndTheNextStartSendsTheEvent(int concurrency, CapturedOutput output,
			@TempDir Path folder) {
		// Not a parameter: the condition resolves none for a parameterized test.
		EmbeddedKafkaBroker broker = EmbeddedKafkaCondition.getBroker();
		String topic = newTopic(broker, 1);
		String object = FakeArvadosCluster.uuid("4zz18");
		List<LogEntry> emitted = new ArrayList<>();
		try (FakeArvadosCluster cluster = cluster()) {
			// The producer's own timeouts as they are by default: a send waits for the broker up to two minutes.
			ApplicationContextRunner runner = runner(cluster, broker, topic)
				.withConfiguration(AutoConfigurations.of(ArvadosEventsCheckpointAutoConfiguration.class))
				.withPropertyValues("arvados.events.checkpoint.file=" + folder.resolve("position"),
						"spring.lifecycle.timeout-per-shutdown-phase=1s", "arvados.events.concurrency=" + concurrency);
			runner.run((context) -> {
				ArvadosEventSubscription subscription = awaitSubscribed(context);
				KafkaTestSupport.Delivered delivered = context.getBean(KafkaTestSupport.Delivered.class);
				emitted.addAll(emitInterleaved(cluster, List.of(object), 1));
				await().atMost(WAIT).until(() -> subscription.state().lowWaterMark() == emitted.get(0).id());

				BrokerServer server = server(broker);
				server.shutdown();
				server.awaitShutdown();
				emitted.addAll(emitInterleaved(cluster, List.of(object), 2));
				long unsent = emitted.get(1).id();
				await().atMost(WAIT).until(() -> delivered.byId.containsKey(unsent));

				long stopping = System.nanoTime();
				context.close();
				// The stop's drain gives up after nine tenths of its 1 s and interrupts the send; closing the
				// producer does not wait for the broker either.
				assertThat(Duration.ofNanos(System.nanoTime() - stopping)).isLessThan(Duration.ofSeconds(10));
				// The send ended, on whichever thread it ran: nothing goes on trying behind the stop.
				await().atMost(WAIT)
					.until(() -> output.getOut().contains("Stopped sending Arvados event " + unsent + " to Kafka topic"));
				assertThat(subscription.state().lowWaterMark()).isEqualTo(emitted.get(0).id());
				server.startup();
			});
			runner.run((context) -> {
				awaitSubscribed(context);
				List<ConsumerRecord<String, String>> records = read(broker, topic, emitted.size(), false);
				assertThat(records).extracting(KafkaTestSupport::eventId)
					.containsExactlyElementsOf(emitted.stream().map(LogEntry::id).toList());
			});
		}
	}

	private static BrokerServer server(EmbeddedKafkaBroker broker) {
		return ((EmbeddedKafkaKraftBroker) broker).getCluster().brokers().values().iterator().next();
	}

	private static Map<String, List<Long>> idsByObject(List<ConsumerRecord<String, String>> records) {
		return records.stream()
			.collect(Collectors.groupingBy(ConsumerRecord::key, LinkedHashMap::new,
					Collectors.mapping(KafkaTestSupport::eventId, Collectors.toList())));
	}

	private static Map<String, List<Long>> idsByObject(List<LogEntry> events, List<String> objects) {
		Map<String, List<Long>> ids = new LinkedHashMap<>();
		objects.forEach((object) -> ids.put(object, new ArrayList<>()));
		events.forEach((event) -> ids.get(event.objectUuid()).add(event.id()));
		return ids;
	}

	private static Map<String, List<Long>> withoutRepeats(Map<String, List<Long>> ids) {
		Map<String, List<Long>> distinct = new LinkedHashMap<>();
		ids.forEach((object, list) -> distinct.put(object, list.stream().distinct().toList()));
		return distinct;
	}

}

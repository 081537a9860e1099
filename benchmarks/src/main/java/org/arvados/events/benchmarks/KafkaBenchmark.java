package org.arvados.events.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.arvados.events.subscription.ArvadosEventSubscription;
import org.arvados.events.test.FakeArvadosCluster;

import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Issue 24, the Kafka path: events/s from the cluster into a topic, beside the same stream into a handler that only
 * counts. The fake cluster and a KRaft broker ({@code spring-kafka-test}'s) run in this JVM. One thread commits
 * events on 1,000 objects, keeping at most {@link #AHEAD} ids ahead of the starter's position, so that what is
 * measured is the path, not a slow connection's catch-up through the list. An event counts when the position passed
 * it: after its handlers returned, and on the Kafka path only once Kafka acknowledged its send (the publisher's
 * defaults: the idempotent producer, {@code acks=all}). Kafka's publisher waits for each send, so its rate grows with
 * {@code arvados.events.concurrency}, the sends of different objects under way together.
 */
final class KafkaBenchmark {

	static final String TOPIC = "arvados-events";

	private static final int PARTITIONS = 4;

	private static final int OBJECTS = 1_000;

	/** The most ids committed beyond the position; the cluster's queue per connection holds more. */
	private static final int AHEAD = 2_000;

	private KafkaBenchmark() {
	}

	/**
	 * Each path after a warm-up of half as many events.
	 * @param measured the events timed on each path
	 * @return a row for each: its concurrency, events, events/s
	 */
	static List<Map<String, Object>> run(long measured) throws Exception {
		// The broker starts before any application context set the levels: it would log its whole configuration.
		LoggingSystem.get(KafkaBenchmark.class.getClassLoader()).setLogLevel(null, LogLevel.WARN);
		EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, PARTITIONS, TOPIC);
		broker.afterPropertiesSet();
		try {
			List<Map<String, Object>> rows = new ArrayList<>();
			rows.add(path("counting handler", 1, Map.of(), measured));
			for (int concurrency : new int[] { 1, 16, 64 }) {
				rows.add(path("Kafka topic, " + PARTITIONS + " partitions", concurrency,
						Map.of("spring.kafka.bootstrap-servers", broker.getBrokersAsString(),
								"arvados.events.kafka.topic", TOPIC),
						measured));
			}
			return rows;
		}
		finally {
			broker.destroy();
		}
	}

	private static Map<String, Object> path(String name, int concurrency, Map<String, String> extra, long measured)
			throws Exception {
		long warmUp = measured / 2;
		try (FakeArvadosCluster cluster = FakeArvadosCluster.builder()
			.token("benchmark")
			.clientQueueCapacity(4 * AHEAD)
			.start()) {
			Map<String, String> properties = new LinkedHashMap<>(extra);
			properties.put("arvados.events.endpoint", cluster.endpoint());
			properties.put("arvados.events.token", "benchmark");
			properties.put("arvados.events.transport", "websocket");
			properties.put("arvados.events.concurrency", Integer.toString(concurrency));
			properties.put("logging.level.org.arvados.events", "ERROR");
			Handlers.Counting counter = new Handlers.Counting(warmUp + measured, 0);
			Object handler = extra.isEmpty() ? counter : new Object();
			try (ConfigurableApplicationContext context = BenchmarkApplication.start(handler, properties)) {
				BenchmarkApplication.awaitLive(context);
				ArvadosEventSubscription subscription = context.getBean(ArvadosEventSubscription.class);
				List<String> objects = new ArrayList<>();
				for (int i = 0; i < OBJECTS; i++) {
					objects.add(FakeArvadosCluster.uuid("4zz18"));
				}
				long warmedUp = commit(cluster, subscription, objects, 0, warmUp);
				awaitPosition(subscription, warmedUp);
				long start = System.nanoTime();
				long last = commit(cluster, subscription, objects, warmUp, measured);
				awaitPosition(subscription, last);
				double perSecond = measured / ((System.nanoTime() - start) / 1e9);
				Map<String, Object> row = new LinkedHashMap<>();
				row.put("path", name);
				row.put("concurrency", concurrency);
				row.put("events", measured);
				row.put("perSecond", Math.round(perSecond));
				row.put("reconnects", subscription.state().counts().reconnects());
				return row;
			}
		}
	}

	/** Commit events, at most {@link #AHEAD} ids beyond the position; the last one's id. */
	private static long commit(FakeArvadosCluster cluster, ArvadosEventSubscription subscription, List<String> objects,
			long from, long count) {
		long id = 0;
		for (long i = from; i < from + count; i++) {
			if (i % 100 == 0) {
				while (id - subscription.state().lowWaterMark() > AHEAD) {
					LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
				}
			}
			id = cluster.emit("update", objects.get((int) (i % OBJECTS)), Map.of("new_attributes", Map.of("name", "n" + i)))
				.id();
		}
		return id;
	}

	private static void awaitPosition(ArvadosEventSubscription subscription, long id) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
		while (subscription.state().lowWaterMark() < id) {
			if (System.nanoTime() - deadline > 0) {
				throw new IllegalStateException("The position stayed at " + subscription.state().lowWaterMark());
			}
			Thread.sleep(1);
		}
	}

}

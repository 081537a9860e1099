package org.arvados.events.benchmarks;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.arvados.events.lifecycle.StreamPhase;
import org.arvados.events.subscription.ArvadosEventSubscription;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The application under test: the starter and one handler bean, nothing else (no web server, WARN logging).
 */
@SpringBootApplication
public class BenchmarkApplication {

	/**
	 * Start the application with a handler.
	 * @param handler a bean with an {@code @EventHandler} method
	 * @param properties {@code arvados.events.*} and other properties
	 * @return the running context
	 */
	static ConfigurableApplicationContext start(Object handler, Map<String, String> properties) {
		Map<String, String> all = new java.util.LinkedHashMap<>(properties);
		if (!all.containsKey("arvados.events.kafka.topic")) {
			// The Kafka module is on this classpath for its own section; elsewhere it stays out of the figures.
			all.putIfAbsent("spring.autoconfigure.exclude", String.join(",",
					"org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration",
					"org.arvados.events.autoconfigure.kafka.ArvadosEventsKafkaAutoConfiguration"));
		}
		String[] args = all.entrySet().stream().map((p) -> "--" + p.getKey() + "=" + p.getValue()).toArray(String[]::new);
		Consumer<ConfigurableApplicationContext> register = (context) -> context.getBeanFactory()
			.registerSingleton("benchmarkHandler", handler);
		return new SpringApplicationBuilder(BenchmarkApplication.class).web(WebApplicationType.NONE)
			.logStartupInfo(false)
			.initializers(register::accept)
			.properties("logging.level.root=WARN", "spring.main.banner-mode=off")
			.run(args);
	}

	/**
	 * Wait until the starter streams live from its WebSocket: the catch-up after the subscription is over.
	 * @param context the running context
	 */
	static void awaitLive(ConfigurableApplicationContext context) throws InterruptedException {
		ArvadosEventSubscription subscription = context.getBean(ArvadosEventSubscription.class);
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (subscription.state().phase() != StreamPhase.LIVE) {
			if (System.nanoTime() - deadline > 0) {
				throw new IllegalStateException("The starter did not go live: " + subscription.state());
			}
			Thread.sleep(5);
		}
	}

	/**
	 * Properties that point the starter at a blast server's WebSocket. The REST API is a stub whose logs list is
	 * unavailable, so the live path alone is measured from the first event that arrives.
	 * @param port the loopback port of the WebSocket server
	 */
	static Map<String, String> webSocket(int port) {
		return Map.of("arvados.events.endpoint", StubApi.endpoint(), "arvados.events.token", "benchmark",
				"arvados.events.websocket.url", "ws://127.0.0.1:" + port + "/websocket", "arvados.events.transport",
				"websocket", "logging.level.org.arvados.events", "WARN");
	}

}

package org.arvados.events.stream;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.arvados.events.ArvadosEvent;
import org.arvados.events.annotation.EventHandler;
import org.arvados.events.autoconfigure.ArvadosEventHandlerAutoConfiguration;
import org.arvados.events.autoconfigure.ArvadosEventsAutoConfiguration;
import org.arvados.events.lifecycle.TransportSwitchedEvent;
import org.arvados.events.subscription.ArvadosEventSubscription;
import org.arvados.events.test.FakeArvadosCluster;
import org.arvados.events.test.LogEntry;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionEvaluationListener;
import org.awaitility.core.EvaluatedCondition;
import org.awaitility.core.TimeoutEvent;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.context.event.EventListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the end-to-end tests share: a context on the real auto-configuration pointed at a fake cluster, and a
 * handler that records what it is given.
 */
final class StreamTestSupport {

	/** Distinctive, so that a leak is easy to find in captured output. */
	static final String TOKEN = "v2/zzzzz-gj3su-tok3nn0tt0b3l0gg3d/Xyzzy-s3cr3t-Plugh";

	/** The secret part of the token: what must not show, whole, URL-encoded or cut. */
	static final String SECRET = "Xyzzy-s3cr3t-Plugh";

	static final Duration WAIT = Duration.ofSeconds(20);

	private StreamTestSupport() {
	}

	/**
	 * The output of a test has something in it, and no token in any form.
	 * @param output what the test printed, at TRACE for the starter's packages
	 */
	static void assertTokenNeverLogged(CapturedOutput output) {
		assertThat(output.getAll()).isNotEmpty()
			.doesNotContain(TOKEN)
			.doesNotContain(URLEncoder.encode(TOKEN, StandardCharsets.UTF_8))
			.doesNotContain(SECRET);
	}

	static FakeArvadosCluster.Builder cluster() {
		return FakeArvadosCluster.builder().token(TOKEN);
	}

	/**
	 * A context runner for the cluster. From now on a wait that times out prints what the cluster's connections
	 * did: a subscription left unanswered shows whether the reply was lost in the fake server or in the starter.
	 */
	static ApplicationContextRunner runner(FakeArvadosCluster cluster, String... properties) {
		Awaitility.setDefaultConditionEvaluationListener(new ConnectionsOnTimeout(cluster));
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ArvadosEventHandlerAutoConfiguration.class,
					ArvadosEventsAutoConfiguration.class))
			.withUserConfiguration(Recorder.class)
			.withPropertyValues("arvados.events.endpoint=" + cluster.endpoint(), "arvados.events.token=" + cluster.token(),
					"arvados.events.reconnect.initial-interval=50ms", "arvados.events.reconnect.max-interval=500ms",
					"arvados.events.reconnect.jitter=10ms")
			.withPropertyValues(properties);
	}

	static Recorder awaitSubscribed(AssertableApplicationContext context) {
		ArvadosEventSubscription subscription = context.getBean(ArvadosEventSubscription.class);
		await().atMost(WAIT).until(() -> subscription.state().connected());
		return context.getBean(Recorder.class);
	}

	static LogEntry emit(FakeArvadosCluster cluster) {
		return cluster.emit("update", FakeArvadosCluster.uuid("4zz18"), Map.of("new_attributes", Map.of("name", "n")));
	}

	static List<Long> ids(List<LogEntry> entries) {
		return entries.stream().map(LogEntry::id).toList();
	}

	/** Prints the record of the cluster's connections when a wait times out. */
	private record ConnectionsOnTimeout(FakeArvadosCluster cluster) implements ConditionEvaluationListener<Object> {

		@Override
		public void conditionEvaluated(EvaluatedCondition<Object> condition) {
		}

		@Override
		public void onTimeout(TimeoutEvent event) {
			System.err.println("Timed out: " + event.getDescription() + "\n" + this.cluster.describeConnections());
		}

	}

	/** Records every event handed to it, in order. */
	static class Recorder {

		final List<ArvadosEvent> events = new CopyOnWriteArrayList<>();

		final List<TransportSwitchedEvent> switches = new CopyOnWriteArrayList<>();

		@EventHandler
		void record(ArvadosEvent event) {
			this.events.add(event);
		}

		@EventListener
		void switched(TransportSwitchedEvent event) {
			this.switches.add(event);
		}

		List<Long> ids() {
			return this.events.stream().map(ArvadosEvent::id).toList();
		}

	}

}

package org.arvados.events.stream;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.arvados.events.Acknowledgment;
import org.arvados.events.ArvadosEvent;
import org.arvados.events.NonRetryableEventException;
import org.arvados.events.annotation.EventHandler;
import org.arvados.events.autoconfigure.ArvadosEventHandlerAutoConfiguration;
import org.arvados.events.autoconfigure.ArvadosEventsAutoConfiguration;
import org.arvados.events.autoconfigure.checkpoint.ArvadosEventsCheckpointAutoConfiguration;
import org.arvados.events.autoconfigure.metrics.ArvadosEventsMetricsAutoConfiguration;
import org.arvados.events.dispatch.EventHandlerErrorHandler;
import org.arvados.events.lifecycle.StreamRole;
import org.arvados.events.observation.EventHandlerObservationContext;
import org.arvados.events.retry.HandlerRetry;
import org.arvados.events.retry.HeldEvents;
import org.arvados.events.subscription.ArvadosEventSubscription;
import org.arvados.events.test.FakeArvadosCluster;
import org.arvados.events.test.LogEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.resilience.annotation.EnableResilientMethods;
import org.springframework.resilience.annotation.Retryable;

import static org.arvados.events.stream.StreamTestSupport.WAIT;
import static org.arvados.events.stream.StreamTestSupport.awaitSubscribed;
import static org.arvados.events.stream.StreamTestSupport.cluster;
import static org.arvados.events.stream.StreamTestSupport.runner;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code arvados.events.handler-retry}: a handler that throws is called again, alone, after a back-off, and only
 * when the retries are spent does its failure reach the error handler; a stop never waits for a back-off, and the
 * event it cut short is handled after the next start.
 */
@ExtendWith(OutputCaptureExtension.class)
class HandlerRetryTests {

	private static final String[] SHORT = { "arvados.events.handler-retry.delay=10ms",
			"arvados.events.handler-retry.max-delay=10ms", "arvados.events.transport=websocket" };

	@Test
	void aHandlerThatFailsTwiceThenSucceedsIsCalledAgainAloneAndHandlesTheEventOnce() {
		Failures failures = new Failures();
		try (FakeArvadosCluster cluster = cluster().start()) {
			runner(cluster, SHORT).withUserConfiguration(Around.class)
				.withBean(Flaky.class, () -> new Flaky(2))
				.withBean(EventHandlerErrorHandler.class, () -> failures)
				.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
						CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
						ObservationAutoConfiguration.class, ArvadosEventsMetricsAutoConfiguration.class))
				.run((context) -> {
					awaitSubscribed(context);
					LogEntry event = cluster.emit("update", FakeArvadosCluster.uuid("4zz18"), Map.of());
					ArvadosEventSubscription subscription = context.getBean(ArvadosEventSubscription.class);
					await().atMost(WAIT).until(() -> subscription.state().lowWaterMark() >= event.id());
					Flaky flaky = context.getBean(Flaky.class);
					assertThat(flaky.calls.get(event.id())).hasValue(3);
					assertThat(flaky.handled).containsExactly(event.id());
					Around around = context.getBean(Around.class);
					assertThat(around.before).containsExactly(event.id());
					assertThat(around.after).containsExactly(event.id());
					assertThat(failures.ids).isEmpty();
					assertThat(context.getBean(MeterRegistry.class)
						.get("arvados.events.handler.retries")
						.tags("handler", Flaky.class.getName() + ".on", "exception", "IllegalStateException")
						.counter()
						.count()).isEqualTo(2);
				});
		}
	}

	@Test
	void whenTheRetriesAreSpentTheLastFailureGoesToTheErrorHandlerAndTheStreamGoesOn() {
		Failures failures = new Failures();
		try (FakeArvadosCluster cluster = cluster().start()) {
			runner(cluster, SHORT).withPropertyValues("arvados.events.handler-retry.max-retries=2")
				.withBean(Flaky.class, () -> new Flaky(1000))
				.withBean(EventHandlerErrorHandler.class, () -> failures)
				.run((context) -> {
					awaitSubscribed(context);
					LogEntry first = cluster.emit("update", FakeArvadosCluster.uuid("4zz18"), Map.of());
					LogEntry second = cluster.emit("update", FakeArvadosCluster.uuid("4zz18"), Map.of());
					ArvadosEventSubscription subscription = context.getBean(ArvadosEventSubscription.class);
					await().atMost(WAIT).until(() -> subscription.state().lowWaterMark() >= second.id());
					Flaky flaky = context.getBean(Flaky.class);
					assertThat(flaky.calls.get(first.id())).hasValue(3);
					assertThat(flaky.calls.get(second.id())).hasValue(3);
					assertThat(failures.ids).containsExactly(first.id(), second.id());
					assertThat(failures.messages).containsExactly("attempt 3 of " + first.id(), "attempt 3 of " + second.id());
				});
		}
	}

	@Test
	void aNonRetryableFailureAndAnExcludedTypeAreNotCalledAgain() {
		Failures failures = new Failures();
		try (FakeArvadosCluster cluster = cluster().start()) {
			runner(cluster, SHORT)
				.withPropertyValues("arvados.events.handler-retry.excludes=java.lang.IllegalArgumentException")
				.withUserConfiguration(Refusing.class)
				.withBean(EventHandlerErrorHandler.class, () -> failures)
				.run((context) -> {
					awaitSubscribed(context);
					LogEntry gone = cluster.emit("delete", FakeArvadosCluster.uuid("4zz18"), Map.of());
					LogEntry bad = cluster.emit("update", FakeArvadosCluster.uuid("4zz18"), Map.of());
					LogEntry transient_ = cluster.emit("create", FakeArvadosCluster.uuid("4zz18"), Map.of());
					await().atMost(WAIT).until(() -> failures.ids.size() == 3);
					Refusing refusing = context.getBean(Refusing.class);
					assertThat(refusing.calls.get(gone.id())).hasValue(1);
					assertThat(refusing.calls.get(bad.id())).hasValue(1);
					assertThat(refusing.calls.get(transient_.id())).hasValue(4);
				});
		}
	}

	// Nothing after the cut event counts, so a gap-aware position resumes at it and repeats nothing before it.
	@ParameterizedTest
	@ValueSource(ints = { 1, 4 })
	void aStopDuringALongBackOffReturnsAtOnceAndTheNextStartHandlesTheEvent(int concurrency, @TempDir Path folder,
			CapturedOutput output) throws Exception {
		Flaky flaky = new Flaky(0);
		String object = FakeArvadosCluster.uuid("4zz18");
		try (FakeArvadosCluster cluster = cluster().start()) {
			String[] properties = { "arvados.events.transport=websocket",
					"arvados.events.checkpoint.file=" + folder.resolve("position"),
					"arvados.events.concurrency=" + concurrency, "arvados.events.handler-retry.delay=30s" };
			AutoConfigurations fileStore = AutoConfigurations.of(ArvadosEventsCheckpointAutoConfiguration.class);
			List<LogEntry> events = new CopyOnWriteArrayList<>();
			ApplicationContextRunner first = runner(cluster, properties).withConfiguration(fileStore)
				.withBean(Flaky.class, () -> flaky);
			first.run((context) -> {
				awaitSubscribed(context);
				events.add(cluster.emit("update", object, Map.of()));
				await().atMost(WAIT).until(() -> flaky.handled.size() == 1);
				flaky.failing.set(1);
				events.add(cluster.emit("update", object, Map.of()));
				events.add(cluster.emit("update", object, Map.of()));
				await().atMost(WAIT).until(() -> flaky.calls.containsKey(events.get(1).id()));
				long start = System.nanoTime();
				CompletableFuture.runAsync(context::close).get(10, TimeUnit.SECONDS);
				assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
			});
			assertThat(flaky.calls.get(events.get(1).id())).hasValue(1);
			assertThat(flaky.handled).containsExactly(events.get(0).id());
			assertThat(output).doesNotContain("did not finish within");
			flaky.failing.set(0);
			runner(cluster, properties).withConfiguration(fileStore).withBean(Flaky.class, () -> flaky).run((context) -> {
				awaitSubscribed(context);
				await().atMost(WAIT).until(() -> flaky.handled.size() == 3);
				assertThat(flaky.handled).containsExactly(events.get(0).id(), events.get(1).id(), events.get(2).id());
			});
		}
	}

	@Test
	void aRevokeDuringALongBackOffHandsNothingMoreAndTheNextLeadHandlesTheEventFirst() {
		Flaky flaky = new Flaky(0);
		String object = FakeArvadosCluster.uuid("4zz18");
		try (FakeArvadosCluster cluster = cluster().start()) {
			runner(cluster, "arvados.events.transport=websocket", "arvados.events.handler-retry.delay=30s")
				.withBean(Flaky.class, () -> flaky)
				.run((context) -> {
					awaitSubscribed(context);
					ArvadosEventSubscription subscription = context.getBean(ArvadosEventSubscription.class);
					LogEntry first = cluster.emit("update", object, Map.of());
					await().atMost(WAIT).until(() -> flaky.handled.size() == 1);
					flaky.failing.set(1);
					LogEntry cut = cluster.emit("update", object, Map.of());
					LogEntry after = cluster.emit("update", object, Map.of());
					await().atMost(WAIT).until(() -> flaky.calls.containsKey(cut.id()));
					long start = System.nanoTime();
					subscription.takeRole(StreamRole.STANDBY);
					assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
					assertThat(flaky.handled).containsExactly(first.id());
					assertThat(flaky.calls.get(cut.id())).hasValue(1);
					flaky.failing.set(0);
					subscription.takeRole(StreamRole.LEADER);
					await().atMost(WAIT).until(() -> flaky.handled.size() == 3);
					assertThat(flaky.handled).containsExactly(first.id(), cut.id(), after.id());
				});
		}
	}

	@Test
	void anAcknowledgingHandlerIsRetriedOnlyWhenItThrowsBeforeItAcknowledges() {
		handlers().withUserConfiguration(Acknowledging.class).run((context) -> {
			context.publishEvent(event(1));
			context.publishEvent(event(2));
			Acknowledging handler = context.getBean(Acknowledging.class);
			assertThat(handler.calls.get(1L)).hasValue(2);
			assertThat(handler.calls.get(2L)).hasValue(1);
		});
	}

	@Test
	void withIncludesOnlyThoseTypesAreRetried() {
		handlers().withPropertyValues("arvados.events.handler-retry.includes=java.lang.IllegalArgumentException")
			.withUserConfiguration(Refusing.class)
			.run((context) -> {
				ArvadosEvent update = event(1);
				ArvadosEvent create = new ArvadosEvent(2, "zzzzz-57u5n-000000000000002", "zzzzz-4zz18-0123456789abcde",
						"zzzzz-tpzed-xurymjxw79nv3jz", "arvados#collection", "create", java.time.Instant.now(), Map.of(),
						"{}");
				context.publishEvent(update);
				context.publishEvent(create);
				Refusing refusing = context.getBean(Refusing.class);
				assertThat(refusing.calls.get(1L)).as("IllegalArgumentException, included").hasValue(4);
				assertThat(refusing.calls.get(2L)).as("IllegalStateException, not included").hasValue(1);
			});
	}

	@Test
	void aMethodWithSpringsRetryableKeepsItsOwnPolicyAndRetriesAreNotMultiplied() {
		Failures failures = new Failures();
		handlers().withUserConfiguration(Resilient.class)
			.withBean(EventHandlerErrorHandler.class, () -> failures)
			.run((context) -> {
				context.publishEvent(event(1));
				assertThat(context.getBean(Resilient.Handler.class).calls()).isEqualTo(2);
				assertThat(failures.ids).containsExactly(1L);
			});
	}

	@Test
	void whenSpringsOwnRetriesAreSpentExhaustedStillDecides() {
		Failures failures = new Failures();
		handlers().withUserConfiguration(Resilient.class)
			.withPropertyValues("arvados.events.handler-retry.exhausted=hold",
					"arvados.events.handler-retry.max-delay=1h")
			.withBean(EventHandlerErrorHandler.class, () -> failures)
			.run((context) -> {
				CompletableFuture<Void> publishing = CompletableFuture.runAsync(() -> context.publishEvent(event(1)));
				HeldEvents held = context.getBean(HeldEvents.class);
				await().atMost(WAIT).until(() -> held.count() == 1);
				assertThat(context.getBean(Resilient.Handler.class).calls()).as("Spring's two calls, no more")
					.isEqualTo(2);
				assertThat(held.list().get(0).attempts()).isEqualTo(1);
				assertThat(held.release(1)).isTrue();
				publishing.get(10, TimeUnit.SECONDS);
				assertThat(failures.ids).containsExactly(1L);
			});
	}

	@Test
	void eachAttemptIsObservedWithItsNumber() {
		List<Integer> attempts = new CopyOnWriteArrayList<>();
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig().observationHandler(new ObservationHandler<EventHandlerObservationContext>() {

			@Override
			public boolean supportsContext(io.micrometer.observation.Observation.Context context) {
				return context instanceof EventHandlerObservationContext;
			}

			@Override
			public void onStop(EventHandlerObservationContext context) {
				attempts.add(context.getAttempt());
				assertThat(context.getHighCardinalityKeyValue("attempt").getValue())
					.isEqualTo(Integer.toString(context.getAttempt()));
			}

		});
		handlers().withBean(ObservationRegistry.class, () -> registry)
			.withBean(Flaky.class, () -> new Flaky(2))
			.run((context) -> {
				context.publishEvent(event(1));
				assertThat(attempts).containsExactly(1, 2, 3);
			});
	}

	@Test
	void aValueOutOfRangeStopsStartUpWithSpringsReason() {
		handlers().withPropertyValues("arvados.events.handler-retry.multiplier=0.5").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("arvados.events.handler-retry")
				.hasMessageContaining("Invalid multiplier '0.5'");
		});
	}

	@Test
	void anApplicationsOwnHandlerRetryReplacesTheStartersAndMaxRetriesZeroTurnsRetriesOff() {
		handlers().withBean(HandlerRetry.class, () -> HandlerRetry.NONE)
			.withBean(Flaky.class, () -> new Flaky(1))
			.run((context) -> {
				assertThat(context).getBean(HandlerRetry.class).isSameAs(HandlerRetry.NONE);
				context.publishEvent(event(1));
				assertThat(context.getBean(Flaky.class).calls.get(1L)).hasValue(1);
			});
		handlers().withPropertyValues("arvados.events.handler-retry.max-retries=0")
			.withBean(Flaky.class, () -> new Flaky(1))
			.run((context) -> {
				context.publishEvent(event(1));
				assertThat(context.getBean(Flaky.class).calls.get(1L)).hasValue(1);
			});
	}

	private static ArvadosEvent event(long id) {
		return new ArvadosEvent(id, "zzzzz-57u5n-00000000000000" + id, "zzzzz-4zz18-0123456789abcde",
				"zzzzz-tpzed-xurymjxw79nv3jz", "arvados#collection", "update", java.time.Instant.now(), Map.of(), "{}");
	}

	private static ApplicationContextRunner handlers() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ArvadosEventHandlerAutoConfiguration.class,
					ArvadosEventsAutoConfiguration.class))
			.withPropertyValues("arvados.events.enabled=false", "arvados.events.handler-retry.delay=1ms");
	}

	/** Fails the first {@code failing} calls for each event, then succeeds. */
	static class Flaky {

		final Map<Long, AtomicInteger> calls = new ConcurrentHashMap<>();

		final List<Long> handled = new CopyOnWriteArrayList<>();

		final AtomicInteger failing;

		Flaky(int failing) {
			this.failing = new AtomicInteger(failing);
		}

		@EventHandler
		@Order(2)
		void on(ArvadosEvent event) {
			int call = this.calls.computeIfAbsent(event.id(), (id) -> new AtomicInteger()).incrementAndGet();
			if (call <= this.failing.get()) {
				throw new IllegalStateException("attempt " + call + " of " + event.id());
			}
			this.handled.add(event.id());
		}

	}

	/** Handlers before and after the flaky one. */
	static class Around {

		final List<Long> before = new CopyOnWriteArrayList<>();

		final List<Long> after = new CopyOnWriteArrayList<>();

		@EventHandler
		@Order(1)
		void before(ArvadosEvent event) {
			this.before.add(event.id());
		}

		@EventHandler
		@Order(3)
		void after(ArvadosEvent event) {
			this.after.add(event.id());
		}

	}

	/** Deleted objects cannot be handled at all, updates are bad input; creations fail for a while. */
	static class Refusing {

		final Map<Long, AtomicInteger> calls = new ConcurrentHashMap<>();

		@EventHandler
		void on(ArvadosEvent event) {
			this.calls.computeIfAbsent(event.id(), (id) -> new AtomicInteger()).incrementAndGet();
			switch (event.eventType()) {
				case "delete" -> throw new IllegalStateException("gone",
						new NonRetryableEventException("the collection no longer exists"));
				case "update" -> throw new IllegalArgumentException("bad input");
				default -> throw new IllegalStateException("not yet");
			}
		}

	}

	/** Throws before acknowledging event 1 the first time, and after acknowledging event 2. */
	static class Acknowledging {

		final Map<Long, AtomicInteger> calls = new ConcurrentHashMap<>();

		@EventHandler
		void on(ArvadosEvent event, Acknowledgment acknowledgment) {
			int call = this.calls.computeIfAbsent(event.id(), (id) -> new AtomicInteger()).incrementAndGet();
			if (event.id() == 1 && call == 1) {
				throw new IllegalStateException("before");
			}
			acknowledgment.acknowledge();
			if (event.id() == 2) {
				throw new IllegalStateException("after");
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableResilientMethods
	static class Resilient {

		@Bean
		Handler resilientHandler() {
			return new Handler();
		}

		static class Handler {

			private final AtomicInteger calls = new AtomicInteger();

			public int calls() {
				return this.calls.get();
			}

			@EventHandler
			@Retryable(maxRetries = 1, delay = 0)
			public void on(ArvadosEvent event) {
				this.calls.incrementAndGet();
				throw new IllegalStateException("always");
			}

		}

	}

	static class Failures implements EventHandlerErrorHandler {

		final List<Long> ids = new CopyOnWriteArrayList<>();

		final List<String> messages = new CopyOnWriteArrayList<>();

		@Override
		public void handleError(ArvadosEvent event, String handler, Throwable error) {
			this.ids.add(event.id());
			this.messages.add(error.getMessage());
		}

	}

}

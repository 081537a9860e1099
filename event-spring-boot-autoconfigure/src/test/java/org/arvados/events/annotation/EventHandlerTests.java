package org.arvados.events.annotation;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.arvados.events.Acknowledgment;
import org.arvados.events.ArvadosEvent;
import org.arvados.events.autoconfigure.ArvadosEventHandlerAutoConfiguration;
import org.arvados.events.autoconfigure.ArvadosEventsAutoConfiguration;
import org.arvados.events.dispatch.EventHandlerErrorHandler;
import org.arvados.events.observation.DefaultEventHandlerObservationConvention;
import org.arvados.events.observation.EventHandlerObservationContext;
import org.arvados.events.observation.EventHandlerObservationConvention;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.annotation.Order;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link EventHandler} methods, fed through the application event publisher as the dispatcher feeds them.
 */
class EventHandlerTests {

	private static final String COLLECTION = "zzzzz-4zz18-0123456789abcde";

	private static final String REQUEST = "zzzzz-xvhdp-0123456789abcde";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ArvadosEventHandlerAutoConfiguration.class,
				ArvadosEventsAutoConfiguration.class))
		// Each failure reaches the error handler at once here: retries have their own tests (HandlerRetryTests).
		.withPropertyValues("arvados.events.enabled=false", "arvados.events.handler-retry.max-retries=0");

	@Test
	void attributesNarrowWhatAHandlerReceives() {
		this.runner.withUserConfiguration(FilteringHandlers.class).run((context) -> {
			ApplicationEventPublisher publisher = context;
			publisher.publishEvent(event(1, "create", COLLECTION, "arvados#collection", Map.of()));
			publisher.publishEvent(event(2, "update", COLLECTION, "arvados#collection", Map.of()));
			publisher.publishEvent(event(3, "update", REQUEST, "arvados#containerRequest", Map.of("state", "Committed")));
			publisher.publishEvent(event(4, "update", REQUEST, "arvados#containerRequest", Map.of("state", "Final")));
			FilteringHandlers handlers = context.getBean(FilteringHandlers.class);
			assertThat(handlers.all).containsExactly(1L, 2L, 3L, 4L);
			assertThat(handlers.collectionUpdates).containsExactly(2L);
			assertThat(handlers.requestsByPattern).containsExactly(3L, 4L);
			assertThat(handlers.finalRequests).containsExactly(4L);
		});
	}

	@Test
	void aThrowingHandlerDoesNotStopTheOthersAndReachesTheErrorHandler() {
		List<String> failures = new CopyOnWriteArrayList<>();
		this.runner.withUserConfiguration(ThrowingHandlers.class)
			.withBean(EventHandlerErrorHandler.class,
					() -> (event, handler, error) -> failures.add(event.id() + " " + handler + " " + error.getMessage()))
			.run((context) -> {
				context.publishEvent(event(7, "update", COLLECTION, "arvados#collection", Map.of()));
				assertThat(context.getBean(ThrowingHandlers.class).seen).containsExactly(7L);
				assertThat(failures).containsExactly(
						"7 org.arvados.events.annotation.EventHandlerTests$ThrowingHandlers.fails boom");
			});
	}

	@Test
	void eachInvocationThatPassesTheFiltersIsObservedUnderTheApplicationsConvention() {
		List<String> observed = new CopyOnWriteArrayList<>();
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig().observationHandler(new ObservationHandler<>() {
			@Override
			public boolean supportsContext(Observation.Context context) {
				return context instanceof EventHandlerObservationContext;
			}

			@Override
			public void onStop(Observation.Context context) {
				observed.add(context.getName() + " " + context.getLowCardinalityKeyValue("handler").getValue() + " "
						+ ((EventHandlerObservationContext) context).getEvent().id()
						+ ((context.getError() != null) ? " " + context.getError().getMessage() : ""));
			}
		});
		EventHandlerObservationConvention renamed = new DefaultEventHandlerObservationConvention() {
			@Override
			public String getName() {
				return "renamed";
			}
		};
		this.runner.withUserConfiguration(ThrowingHandlers.class, FilteringHandlers.class)
			.withBean(ObservationRegistry.class, () -> registry)
			.withBean(EventHandlerObservationConvention.class, () -> renamed)
			.run((context) -> {
				context.publishEvent(event(9, "create", REQUEST, "arvados#containerRequest", Map.of()));
				String throwing = ThrowingHandlers.class.getName();
				String filtering = FilteringHandlers.class.getName();
				// A create of a request: filtered-out methods and a false condition are not invocations.
				assertThat(observed).containsExactlyInAnyOrder("renamed " + throwing + ".fails 9 boom",
						"renamed " + throwing + ".works 9", "renamed " + filtering + ".all 9",
						"renamed " + filtering + ".requests 9");
			});
	}

	@Test
	void anErrorHandlerThatThrowsDoesNotStopTheOthersEither() {
		this.runner.withUserConfiguration(ThrowingHandlers.class)
			.withBean(EventHandlerErrorHandler.class, () -> (event, handler, error) -> {
				throw new IllegalStateException("error handler bug");
			})
			.run((context) -> {
				context.publishEvent(event(8, "update", COLLECTION, "arvados#collection", Map.of()));
				assertThat(context.getBean(ThrowingHandlers.class).seen).containsExactly(8L);
			});
	}

	@Test
	void orderDecidesWhoGoesFirst() {
		this.runner.withUserConfiguration(OrderedHandlers.class).run((context) -> {
			context.publishEvent(event(1, "update", COLLECTION, "arvados#collection", Map.of()));
			assertThat(context.getBean(OrderedHandlers.class).calls).containsExactly("first", "second");
		});
	}

	@Test
	void asyncHandlersRunOnAnotherThread() {
		this.runner.withUserConfiguration(AsyncHandlers.class).run((context) -> {
			context.publishEvent(event(1, "update", COLLECTION, "arvados#collection", Map.of()));
			AsyncHandlers handlers = context.getBean(AsyncHandlers.class);
			await().atMost(Duration.ofSeconds(5)).until(() -> !handlers.threads().isEmpty());
			assertThat(handlers.threads()).doesNotContain(Thread.currentThread().getName());
		});
	}

	@Test
	void aHandlerThatDoesNotTakeAnEventFailsAtStartUp() {
		this.runner.withUserConfiguration(WrongSignature.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("must take an ArvadosEvent parameter"));
	}

	@Test
	void aConditionThatDoesNotParseFailsAtStartUpNamingTheMethod() {
		this.runner.withUserConfiguration(BadCondition.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(IllegalStateException.class)
				.hasMessageStartingWith("The condition of @EventHandler method "
						+ "org.arvados.events.annotation.EventHandlerTests$BadCondition.onFinal is not a valid SpEL "
						+ "expression: '#event.newAttributes()['state'] == ' ("));
	}

	@Test
	void otherApplicationEventsDoNotReachHandlers() {
		this.runner.withUserConfiguration(FilteringHandlers.class).run((context) -> {
			context.publishEvent("not an Arvados event");
			assertThat(context.getBean(FilteringHandlers.class).all).isEmpty();
		});
	}

	@Test
	void aHandlerThatTakesAnAcknowledgmentHasTheSameFiltersConditionsOrderAndFailures() {
		List<String> failures = new CopyOnWriteArrayList<>();
		this.runner.withUserConfiguration(AcknowledgingHandlers.class)
			.withBean(EventHandlerErrorHandler.class,
					() -> (event, handler, error) -> failures.add(event.id() + " " + error.getMessage()))
			.run((context) -> {
				context.publishEvent(event(1, "create", COLLECTION, "arvados#collection", Map.of()));
				context.publishEvent(event(2, "update", REQUEST, "arvados#containerRequest", Map.of("state", "Final")));
				context.publishEvent(event(3, "update", REQUEST, "arvados#containerRequest", Map.of("state", "Queued")));
				AcknowledgingHandlers handlers = context.getBean(AcknowledgingHandlers.class);
				// Outside the dispatcher an acknowledgment is there to call, and does nothing.
				assertThat(handlers.calls).containsExactly("first 1", "second 1", "first 2", "final 2", "second 2",
						"first 3", "second 3");
				assertThat(failures).containsExactly("3 not now");
			});
	}

	@Test
	void anAcknowledgmentMustComeAfterTheEvent() {
		this.runner.withUserConfiguration(AcknowledgmentFirst.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("must take an ArvadosEvent parameter, and may take an Acknowledgment after it"));
	}

	static class AcknowledgingHandlers {

		final List<String> calls = new CopyOnWriteArrayList<>();

		@EventHandler
		@Order(2)
		void second(ArvadosEvent event, Acknowledgment acknowledgment) {
			this.calls.add("second " + event.id());
			acknowledgment.acknowledge();
			if (event.id() == 3) {
				throw new IllegalStateException("not now");
			}
		}

		@EventHandler(objectKinds = "arvados#containerRequest", condition = "#event.newAttributes()['state'] == 'Final'")
		@Order(1)
		void onFinal(ArvadosEvent event, Acknowledgment acknowledgment) {
			this.calls.add("final " + event.id());
		}

		@EventHandler
		@Order(0)
		void first(ArvadosEvent event) {
			this.calls.add("first " + event.id());
		}

	}

	static class AcknowledgmentFirst {

		@EventHandler
		void on(Acknowledgment acknowledgment, ArvadosEvent event) {
		}

	}

	static ArvadosEvent event(long id, String type, String objectUuid, String kind, Map<String, Object> newAttributes) {
		return new ArvadosEvent(id, "zzzzz-57u5n-00000000000000" + id, objectUuid, "zzzzz-tpzed-xurymjxw79nv3jz", kind,
				type, Instant.now(), Map.of("new_attributes", newAttributes), "{}");
	}

	static class BadCondition {

		@EventHandler(condition = "#event.newAttributes()['state'] == ")
		void onFinal(ArvadosEvent event) {
		}

	}

	static class FilteringHandlers {

		final List<Long> all = new CopyOnWriteArrayList<>();

		final List<Long> collectionUpdates = new CopyOnWriteArrayList<>();

		final List<Long> requestsByPattern = new CopyOnWriteArrayList<>();

		final List<Long> finalRequests = new CopyOnWriteArrayList<>();

		@EventHandler
		void all(ArvadosEvent event) {
			this.all.add(event.id());
		}

		@EventHandler(eventTypes = "update", objectKinds = "arvados#collection")
		void collectionUpdates(ArvadosEvent event) {
			this.collectionUpdates.add(event.id());
		}

		@EventHandler(objectUuids = "zzzzz-xvhdp-*")
		void requests(ArvadosEvent event) {
			this.requestsByPattern.add(event.id());
		}

		@EventHandler(objectKinds = "arvados#containerRequest", condition = "#event.newAttributes()['state'] == 'Final'")
		void finalRequests(ArvadosEvent event) {
			this.finalRequests.add(event.id());
		}

	}

	static class ThrowingHandlers {

		final List<Long> seen = new CopyOnWriteArrayList<>();

		@EventHandler
		@Order(1)
		void fails(ArvadosEvent event) {
			throw new IllegalStateException("boom");
		}

		@EventHandler
		@Order(2)
		void works(ArvadosEvent event) {
			this.seen.add(event.id());
		}

	}

	static class OrderedHandlers {

		final List<String> calls = new CopyOnWriteArrayList<>();

		@EventHandler
		@Order(2)
		void second(ArvadosEvent event) {
			this.calls.add("second");
		}

		@EventHandler
		@Order(1)
		void first(ArvadosEvent event) {
			this.calls.add("first");
		}

	}

	@EnableAsync
	static class AsyncHandlers {

		private final List<String> threads = new CopyOnWriteArrayList<>();

		@EventHandler
		@Async
		public void handle(ArvadosEvent event) {
			this.threads.add(Thread.currentThread().getName());
		}

		// A method, not the field: the bean is a proxy.
		public List<String> threads() {
			return this.threads;
		}

	}

	static class WrongSignature {

		@EventHandler
		void handle(String text) {
		}

	}

}

package org.arvados.events.metrics;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.arvados.events.ArvadosEvent;
import org.arvados.events.observation.DefaultEventHandlerObservationConvention;
import org.arvados.events.observation.EventHandlerObservationContext;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Any Arvados user can create logs with an event type of their own: the {@code event.type} tag keeps the types
 * Arvados writes and calls the rest {@code other}, so made-up types cannot create a meter each.
 */
class EventTypeTagTests {

	private final MeterRegistry meters = new SimpleMeterRegistry();

	private final ObservationRegistry observations = ObservationRegistry.create();

	EventTypeTagTests() {
		this.observations.observationConfig()
			.observationHandler(new EventHandlerMetricsObservationHandler(this.meters))
			.observationHandler(new DefaultMeterObservationHandler(this.meters));
	}

	@Test
	void madeUpEventTypesShareOneTagValue() {
		for (int i = 0; i < 200; i++) {
			observe("user-type-" + i, false);
			observe("user-type-" + i, true);
		}
		observe("update", false);
		observe("create", true);
		observe("stderr", false);
		observe("", false);
		for (String name : new String[] { "arvados.events.handled", "arvados.events.failed",
				DefaultEventHandlerObservationConvention.NAME }) {
			assertThat(eventTypes(name)).as(name).isSubsetOf("other", "update", "create", "stderr", "none");
		}
		assertThat(eventTypes("arvados.events.handled")).containsExactlyInAnyOrder("other", "update", "stderr", "none");
		assertThat(this.meters.get("arvados.events.handled").tags("event.type", "other").counter().count())
			.isEqualTo(200);
	}

	@Test
	void theSpanNameIsBoundedToo() {
		DefaultEventHandlerObservationConvention convention = new DefaultEventHandlerObservationConvention();
		assertThat(convention.getContextualName(context("update"))).isEqualTo("handle update");
		assertThat(convention.getContextualName(context("x-" + System.nanoTime()))).isEqualTo("handle other");
		// The event's own type, whatever it is, stays available to traces.
		assertThat(convention.getHighCardinalityKeyValues(context("x-42")))
			.anySatisfy((keyValue) -> assertThat(keyValue.getValue()).isEqualTo("x-42"));
	}

	private void observe(String eventType, boolean fail) {
		Observation observation = Observation.createNotStarted(null, new DefaultEventHandlerObservationConvention(),
				() -> context(eventType), this.observations);
		observation.start();
		if (fail) {
			observation.error(new IllegalStateException("failed"));
		}
		observation.stop();
	}

	private Set<String> eventTypes(String meterName) {
		return this.meters.find(meterName)
			.meters()
			.stream()
			.map(Meter::getId)
			.map((id) -> id.getTag("event.type"))
			.collect(Collectors.toSet());
	}

	private static EventHandlerObservationContext context(String eventType) {
		return new EventHandlerObservationContext(new ArvadosEvent(7, "zzzzz-57u5n-000000000000007",
				"zzzzz-4zz18-0123456789abcde", "", "arvados#collection", eventType, null, Map.of(), "{}"),
				"com.example.Watcher.onEvent");
	}

}

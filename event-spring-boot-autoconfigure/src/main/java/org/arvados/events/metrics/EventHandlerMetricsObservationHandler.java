package org.arvados.events.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import org.arvados.events.observation.EventHandlerObservationContext;
import org.arvados.events.observation.EventTypeTag;

/**
 * Counts handler invocations as they end: {@code arvados.events.handled} when the method returned,
 * {@code arvados.events.failed} when it threw (tag {@code exception}), both tagged {@code event.type} (as
 * {@link EventTypeTag} bounds it) and {@code handler}. Their duration is the {@code arvados.events.handler} timer of Micrometer's own meter handler.
 */
public class EventHandlerMetricsObservationHandler implements ObservationHandler<EventHandlerObservationContext> {

	private final MeterRegistry registry;

	public EventHandlerMetricsObservationHandler(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public boolean supportsContext(Observation.Context context) {
		return context instanceof EventHandlerObservationContext;
	}

	@Override
	public void onStop(EventHandlerObservationContext context) {
		Tags tags = Tags.of("event.type", EventTypeTag.of(context.getEvent().eventType()), "handler",
				context.getHandler());
		Throwable error = context.getError();
		if (error == null) {
			this.registry.counter("arvados.events.handled", tags).increment();
		}
		else {
			this.registry.counter("arvados.events.failed", tags.and("exception", error.getClass().getSimpleName()))
				.increment();
		}
	}

}

package org.arvados.events.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and tags the observation of an {@code @EventHandler} invocation. Declare a bean of this type to change
 * them; {@link DefaultEventHandlerObservationConvention} is the default.
 */
public interface EventHandlerObservationConvention extends ObservationConvention<EventHandlerObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof EventHandlerObservationContext;
	}

}

package org.arvados.events.observation;

import io.micrometer.common.KeyValues;

/**
 * Observes each invocation as {@code arvados.events.handler} (a timer of that name with Micrometer's meter
 * handler), tagged with the event type (as {@link EventTypeTag} bounds it), the object kind and the handler: few
 * values each. The event id, the object UUID and the event type as it came go to traces only.
 */
public class DefaultEventHandlerObservationConvention implements EventHandlerObservationConvention {

	/** The observation's name, and the timer's. */
	public static final String NAME = "arvados.events.handler";

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(EventHandlerObservationContext context) {
		return "handle " + EventTypeTag.of(context.getEvent().eventType());
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(EventHandlerObservationContext context) {
		return KeyValues.of("event.type", EventTypeTag.of(context.getEvent().eventType()), "object.kind",
				orNone(context.getEvent().objectKind()), "handler", context.getHandler());
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(EventHandlerObservationContext context) {
		return KeyValues.of("event.id", Long.toString(context.getEvent().id()), "object.uuid",
				orNone(context.getEvent().objectUuid()), "event.type.raw", orNone(context.getEvent().eventType()),
				"attempt", Integer.toString(context.getAttempt()));
	}

	private static String orNone(String value) {
		return value.isEmpty() ? "none" : value;
	}

}

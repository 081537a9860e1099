package org.arvados.events.dispatch;

import org.arvados.events.ArvadosEvent;

import org.springframework.context.PayloadApplicationEvent;
import org.springframework.core.ResolvableType;

/**
 * How an {@link ArvadosEvent} travels to the listeners: the same {@link PayloadApplicationEvent} the context would
 * wrap it in, with its generic type built once. The context's own wrapping builds that type for every event
 * (a third of the dispatching thread's time in a busy stream), and the multicaster asks for it twice.
 */
final class ArvadosPayloadEvent extends PayloadApplicationEvent<ArvadosEvent> {

	private static final ResolvableType PAYLOAD_TYPE = ResolvableType.forClass(ArvadosEvent.class);

	private static final ResolvableType TYPE = ResolvableType.forClassWithGenerics(PayloadApplicationEvent.class,
			PAYLOAD_TYPE);

	ArvadosPayloadEvent(Object source, ArvadosEvent payload) {
		super(source, payload, PAYLOAD_TYPE);
	}

	@Override
	public ResolvableType getResolvableType() {
		return TYPE;
	}

}

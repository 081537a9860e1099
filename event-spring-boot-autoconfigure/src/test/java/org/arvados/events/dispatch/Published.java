package org.arvados.events.dispatch;

import org.springframework.context.PayloadApplicationEvent;

/**
 * What a test's publisher was given, as a listener for {@code ArvadosEvent} sees it: the dispatcher wraps each
 * event in a {@link PayloadApplicationEvent}, as the context would.
 */
final class Published {

	private Published() {
	}

	static Object payload(Object published) {
		return (published instanceof PayloadApplicationEvent<?> event) ? event.getPayload() : published;
	}

}

package org.arvados.events.annotation;

import org.arvados.events.ArvadosEvent;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEvent;
import org.springframework.context.PayloadApplicationEvent;

/**
 * Finds the {@link ArvadosEvent} inside the application event that carries it.
 */
final class ArvadosEventApplicationEvents {

	private ArvadosEventApplicationEvents() {
	}

	static @Nullable ArvadosEvent payload(ApplicationEvent event) {
		return (event instanceof PayloadApplicationEvent<?> payload
				&& payload.getPayload() instanceof ArvadosEvent arvadosEvent) ? arvadosEvent : null;
	}

}

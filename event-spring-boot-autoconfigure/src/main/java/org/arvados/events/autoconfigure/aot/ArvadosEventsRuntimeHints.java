package org.arvados.events.autoconfigure.aot;

import org.arvados.events.ArvadosEvent;
import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;

/**
 * What the starter reaches by reflection in a native image. The {@code @EventHandler} methods themselves need no
 * entry here: {@code @EventHandler} is meta-annotated with {@code @EventListener}, which is {@code @Reflective}, so
 * Spring registers each handler method for invocation when it processes the beans. The JSON the starter reads and
 * writes is trees, maps and lists, never bound to classes; the properties are Spring Boot's to register.
 * <ul>
 * <li>{@link ArvadosEvent}'s accessors, which a handler's SpEL {@code condition} calls ({@code #event.eventType()},
 * {@code #event.newAttributes()['state']});</li>
 * <li>the root object such a condition sees when the handler takes an {@code Acknowledgment}
 * ({@code #root.event}, {@code #root.args});</li>
 * <li>the dead-letter table's scripts, which Boot's initializer reads as resources.</li>
 * </ul>
 */
class ArvadosEventsRuntimeHints implements RuntimeHintsRegistrar {

	static final String ACKNOWLEDGING_ROOT = "org.arvados.events.annotation.AcknowledgingEventHandlerAdapter$Root";

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		hints.reflection().registerType(ArvadosEvent.class, MemberCategory.INVOKE_PUBLIC_METHODS);
		hints.reflection().registerType(TypeReference.of(ACKNOWLEDGING_ROOT), MemberCategory.INVOKE_PUBLIC_METHODS);
		hints.resources().registerPattern("org/arvados/events/deadletter/schema-*.sql");
	}

}

package org.arvados.events.annotation;

import java.lang.reflect.Method;

import org.arvados.events.dispatch.EventHandlerErrorHandler;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.EventListenerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * Turns {@link EventHandler} methods into {@link EventHandlerMethodAdapter} listeners. Ordered before
 * Spring's {@code DefaultEventListenerFactory}, which would otherwise take them as plain
 * {@code @EventListener} methods (the annotation is meta-annotated with it).
 */
public class EventHandlerListenerFactory implements EventListenerFactory, Ordered {

	private final ObjectProvider<EventHandlerErrorHandler> errorHandler;

	public EventHandlerListenerFactory(ObjectProvider<EventHandlerErrorHandler> errorHandler) {
		this.errorHandler = errorHandler;
	}

	@Override
	public boolean supportsMethod(Method method) {
		return AnnotatedElementUtils.hasAnnotation(method, EventHandler.class);
	}

	@Override
	public ApplicationListener<?> createApplicationListener(String beanName, Class<?> type, Method method) {
		return new EventHandlerMethodAdapter(beanName, type, method, this.errorHandler);
	}

	@Override
	public int getOrder() {
		return 40;
	}

}

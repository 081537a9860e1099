package org.arvados.events.annotation;

import java.lang.reflect.Method;
import java.lang.reflect.UndeclaredThrowableException;

import org.arvados.events.ArvadosEvent;
import org.arvados.events.dispatch.EventHandlerErrorHandler;
import org.arvados.events.dispatch.EventHandlerErrorHandlers;
import org.arvados.events.dispatch.LoggingEventHandlerErrorHandler;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.ApplicationListenerMethodAdapter;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;

/**
 * The application listener behind one {@link EventHandler} method: skips events its attributes exclude and
 * hands a failure to the {@link EventHandlerErrorHandler} instead of throwing it, because the default
 * multicaster would stop at the first listener that throws.
 */
public class EventHandlerMethodAdapter extends ApplicationListenerMethodAdapter {

	private final EventHandlerMethodFilter filter;

	private final ObjectProvider<EventHandlerErrorHandler> errorHandler;

	private final String description;

	public EventHandlerMethodAdapter(String beanName, Class<?> targetClass, Method method,
			ObjectProvider<EventHandlerErrorHandler> errorHandler) {
		super(beanName, targetClass, method);
		EventHandler annotation = AnnotatedElementUtils.findMergedAnnotation(method, EventHandler.class);
		if (annotation == null || method.getParameterCount() != 1
				|| !method.getParameterTypes()[0].isAssignableFrom(ArvadosEvent.class)) {
			throw new IllegalStateException("@EventHandler method " + ClassUtils.getQualifiedMethodName(method)
					+ " must take exactly one ArvadosEvent parameter");
		}
		this.filter = new EventHandlerMethodFilter(annotation);
		this.errorHandler = errorHandler;
		this.description = ClassUtils.getQualifiedMethodName(method, targetClass);
	}

	// Returning null skips the invocation; shouldHandle(ApplicationEvent) alone would not.
	@Override
	protected Object @Nullable [] resolveArguments(ApplicationEvent event) {
		Object[] args = super.resolveArguments(event);
		if (args == null || !(args[0] instanceof ArvadosEvent arvadosEvent) || !this.filter.matches(arvadosEvent)) {
			return null;
		}
		return args;
	}

	@Override
	public void processEvent(ApplicationEvent event) {
		try {
			super.processEvent(event);
		}
		catch (RuntimeException ex) {
			Throwable cause = (ex instanceof UndeclaredThrowableException && ex.getCause() != null) ? ex.getCause()
					: ex;
			ArvadosEvent failed = ArvadosEventApplicationEvents.payload(event);
			if (failed == null) {
				throw ex;
			}
			// An error handler that throws must not stop the other handlers either.
			EventHandlerErrorHandler handler = this.errorHandler.getIfAvailable(LoggingEventHandlerErrorHandler::new);
			EventHandlerErrorHandlers.handleSafely(handler, failed, this.description, cause);
		}
	}

}

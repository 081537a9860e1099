package org.arvados.events.annotation;

import java.lang.reflect.Method;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import io.micrometer.observation.Observation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.arvados.events.ArvadosEvent;
import org.arvados.events.dispatch.ArvadosPayloadEvent;
import org.arvados.events.dispatch.EventHandlerErrorHandler;
import org.arvados.events.dispatch.EventHandlerErrorHandlers;
import org.arvados.events.dispatch.StopSignal;
import org.arvados.events.filter.EventCriteria;
import org.arvados.events.lifecycle.EventHandlerFailedEvent;
import org.arvados.events.observation.DefaultEventHandlerObservationConvention;
import org.arvados.events.observation.EventHandlerObservationContext;
import org.arvados.events.observation.EventHandlerObservationConvention;
import org.arvados.events.retry.HandlerRetry;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.context.event.ApplicationListenerMethodAdapter;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.expression.Expression;
import org.springframework.expression.ParseException;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;
import org.springframework.util.function.SingletonSupplier;

/**
 * The application listener behind one {@link EventHandler} method: skips events its attributes exclude,
 * observes each invocation (Micrometer), calls the method again after a failure as its {@link HandlerRetry} says (it
 * alone, not the other handlers of the event), and hands a failure that retries did not mend to the
 * {@link EventHandlerErrorHandler} instead of throwing it, because the default multicaster would stop at the first
 * listener that throws; then publishes an {@link EventHandlerFailedEvent}.
 */
public class EventHandlerMethodAdapter extends ApplicationListenerMethodAdapter {

	private static final EventHandlerObservationConvention DEFAULT_CONVENTION = new DefaultEventHandlerObservationConvention();

	private static final Log logger = LogFactory.getLog(EventHandlerMethodAdapter.class);

	private static final SpelExpressionParser CONDITION_PARSER = new SpelExpressionParser();

	/** The number of the attempt under way on this thread: set for a retry only, the first needs no write. */
	private static final ThreadLocal<Integer> RETRY = ThreadLocal.withInitial(() -> 1);

	private final EventCriteria criteria;

	private final EventHandlerListenerFactory factory;

	private final String description;

	private final SingletonSupplier<HandlerRetry> retry;

	public EventHandlerMethodAdapter(String beanName, Class<?> targetClass, Method method,
			EventHandlerListenerFactory factory) {
		super(beanName, targetClass, checked(method));
		EventHandler annotation = AnnotatedElementUtils.findMergedAnnotation(method, EventHandler.class);
		Assert.state(annotation != null, () -> ClassUtils.getQualifiedMethodName(method) + " has no @EventHandler");
		this.criteria = criteria(annotation);
		this.factory = factory;
		this.description = ClassUtils.getQualifiedMethodName(method, targetClass);
		parseCondition(annotation.condition(), this.description);
		this.retry = SingletonSupplier.of(() -> factory.retry(method));
		factory.register(this.description, (event) -> attempt(new PayloadApplicationEvent<>(this, event), 1));
	}

	// Before Spring's constructor, whose own message speaks of @EventListener and one parameter.
	private static Method checked(Method method) {
		if (method.getParameterCount() != 1 || !method.getParameterTypes()[0].isAssignableFrom(ArvadosEvent.class)) {
			throw new IllegalStateException("@EventHandler method " + ClassUtils.getQualifiedMethodName(method)
					+ " must take an ArvadosEvent parameter, and may take an Acknowledgment after it");
		}
		return method;
	}

	// Spring parses a condition only when the first event arrives, and then every event fails to reach the method.
	// Parsed here with the parser Spring uses, a typo stops start-up instead.
	static @Nullable Expression parseCondition(String condition, String method) {
		if (!StringUtils.hasText(condition)) {
			return null;
		}
		try {
			return CONDITION_PARSER.parseExpression(condition);
		}
		catch (ParseException ex) {
			throw new IllegalStateException("The condition of @EventHandler method " + method
					+ " is not a valid SpEL expression: '" + condition + "' (" + ex.getMessage() + ")");
		}
	}

	// Set.of: a value given twice fails start-up, as it always has.
	static EventCriteria criteria(EventHandler annotation) {
		return new EventCriteria(Set.of(annotation.eventTypes()), Set.of(annotation.objectKinds()),
				List.of(annotation.objectUuids()));
	}

	// Returning null skips the invocation; shouldHandle(ApplicationEvent) alone would not.
	@Override
	protected Object @Nullable [] resolveArguments(ApplicationEvent event) {
		Object[] args = super.resolveArguments(event);
		if (args == null || !(args[0] instanceof ArvadosEvent arvadosEvent) || !this.criteria.matches(arvadosEvent)) {
			return null;
		}
		return args;
	}

	// Only invocations that pass the filters and the condition reach here: those are what a timer should count.
	@Override
	protected @Nullable Object doInvoke(@Nullable Object... args) {
		return observe(this.factory, (ArvadosEvent) args[0], this.description, RETRY.get(),
				() -> super.doInvoke(args));
	}

	static @Nullable Object observe(EventHandlerListenerFactory factory, ArvadosEvent event, String description,
			int attempt, Supplier<@Nullable Object> invocation) {
		Observation observation = Observation.createNotStarted(factory.observationConvention(), DEFAULT_CONVENTION,
				() -> new EventHandlerObservationContext(event, description, attempt), factory.observationRegistry());
		observation.start();
		try (Observation.Scope scope = observation.openScope()) {
			return invocation.get();
		}
		catch (RuntimeException | Error ex) {
			observation.error(unwrap(ex));
			throw ex;
		}
		finally {
			observation.stop();
		}
	}

	// A handler that throws is called again as the retry says; only once that is over does its failure count.
	@Override
	public void processEvent(ApplicationEvent event) {
		ArvadosEvent arvadosEvent = ArvadosEventApplicationEvents.payload(event);
		if (arvadosEvent == null) {
			super.processEvent(event);
			return;
		}
		try {
			if (!this.retry.obtain()
				.call(this.description, arvadosEvent, stopSignal(event), (attempt) -> attempt(event, attempt))) {
				letGo(event, arvadosEvent, this.description);
			}
		}
		// An Error too (an assertion, a missing class in a handler): it belongs to this handler, not the dispatcher.
		catch (Throwable ex) {
			failed(this.factory, this, arvadosEvent, this.description, ex);
		}
	}

	private void attempt(ApplicationEvent event, int attempt) throws Throwable {
		if (attempt > 1) {
			RETRY.set(attempt);
		}
		try {
			super.processEvent(event);
		}
		catch (RuntimeException | Error ex) {
			throw unwrap(ex);
		}
		finally {
			if (attempt > 1) {
				RETRY.remove();
			}
		}
	}

	static StopSignal stopSignal(ApplicationEvent event) {
		return (event instanceof ArvadosPayloadEvent dispatched) ? dispatched.stopSignal() : StopSignal.NEVER;
	}

	// A stop cut the retries short: the event is not handled, and the next start hands it again.
	static void letGo(ApplicationEvent event, ArvadosEvent arvadosEvent, String description) {
		logger.info("Handler " + description + " was to be called again for Arvados event " + arvadosEvent.id()
				+ ", but the stream stops: the event does not count as handled, and the next start hands it again");
		if (event instanceof ArvadosPayloadEvent dispatched) {
			dispatched.letGo();
		}
	}

	// An error handler that throws must not stop the other handlers either.
	static void failed(EventHandlerListenerFactory factory, Object listener, ArvadosEvent failed, String description,
			Throwable ex) {
		Throwable cause = unwrap(ex);
		EventHandlerErrorHandlers.handleSafely(factory.errorHandler(), failed, description, cause);
		ApplicationEventPublisher publisher = factory.publisher();
		if (publisher != null) {
			EventHandlerErrorHandlers.publishSafely(publisher, new EventHandlerFailedEvent(listener, failed, description,
					cause));
		}
	}

	static Throwable unwrap(Throwable ex) {
		return (ex instanceof UndeclaredThrowableException && ex.getCause() != null) ? ex.getCause() : ex;
	}

}

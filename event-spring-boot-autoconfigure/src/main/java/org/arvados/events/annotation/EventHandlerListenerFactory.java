package org.arvados.events.annotation;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.micrometer.observation.ObservationRegistry;
import org.arvados.events.deadletter.DeadLetters;
import org.arvados.events.dispatch.EventHandlerErrorHandler;
import org.arvados.events.dispatch.LoggingEventHandlerErrorHandler;
import org.arvados.events.observation.EventHandlerObservationConvention;
import org.arvados.events.retry.HandlerRetry;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.EventListenerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.resilience.annotation.Retryable;
import org.springframework.util.Assert;
import org.springframework.util.function.SingletonSupplier;

/**
 * Turns {@link EventHandler} methods into {@link EventHandlerMethodAdapter} listeners. Ordered before
 * Spring's {@code DefaultEventListenerFactory}, which would otherwise take them as plain
 * {@code @EventListener} methods (the annotation is meta-annotated with it).
 * <p>
 * It is created while bean definitions are still being read, so it holds the beans its listeners use
 * (error handler, observation registry and convention, event publisher) as providers, asked on first use.
 */
public class EventHandlerListenerFactory implements EventListenerFactory, Ordered, BeanFactoryAware {

	private final ObjectProvider<EventHandlerErrorHandler> errorHandler;

	// Asked once, on first use, not per event: a bean factory lookup costs more than the dispatch around it.
	private final SingletonSupplier<ObservationRegistry> observationRegistry;

	private final Supplier<@Nullable EventHandlerObservationConvention> observationConvention;

	private final ObjectProvider<ApplicationEventPublisher> publisher;

	private final SingletonSupplier<HandlerRetry> retry;

	private @Nullable BeanFactory beanFactory;

	/** Each handler by its name, for a replay of dead letters. */
	private final Map<String, DeadLetters.HandlerInvocation> handlers = new ConcurrentHashMap<>();

	/**
	 * @param errorHandler where failures go once their retries are spent
	 * @param observationRegistry observes each invocation
	 * @param observationConvention names the observations
	 * @param publisher publishes an {@code EventHandlerFailedEvent} for each failure
	 * @param retry how a handler that threw is tried again; none when there is no such bean
	 */
	public EventHandlerListenerFactory(ObjectProvider<EventHandlerErrorHandler> errorHandler,
			ObjectProvider<ObservationRegistry> observationRegistry,
			ObjectProvider<EventHandlerObservationConvention> observationConvention,
			ObjectProvider<ApplicationEventPublisher> publisher, ObjectProvider<HandlerRetry> retry) {
		this.errorHandler = errorHandler;
		this.observationRegistry = SingletonSupplier.of(() -> observationRegistry.getIfAvailable(() -> ObservationRegistry.NOOP));
		this.observationConvention = SingletonSupplier.ofNullable(observationConvention::getIfAvailable);
		this.publisher = publisher;
		this.retry = SingletonSupplier.of(() -> retry.getIfAvailable(() -> HandlerRetry.NONE));
	}

	@Override
	public boolean supportsMethod(Method method) {
		return AnnotatedElementUtils.hasAnnotation(method, EventHandler.class);
	}

	@Override
	public ApplicationListener<?> createApplicationListener(String beanName, Class<?> type, Method method) {
		EventHandler annotation = AnnotatedElementUtils.findMergedAnnotation(method, EventHandler.class);
		if (annotation != null && AcknowledgingEventHandlerAdapter.takesAcknowledgment(method)) {
			return new AcknowledgingEventHandlerAdapter(beanName, type, method, annotation, this);
		}
		return new EventHandlerMethodAdapter(beanName, type, method, this);
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	BeanFactory beanFactory() {
		Assert.state(this.beanFactory != null, "No BeanFactory: EventHandlerListenerFactory is not a bean");
		return this.beanFactory;
	}

	@Override
	public int getOrder() {
		return 40;
	}

	EventHandlerErrorHandler errorHandler() {
		return this.errorHandler.getIfAvailable(LoggingEventHandlerErrorHandler::new);
	}

	ObservationRegistry observationRegistry() {
		return this.observationRegistry.obtain();
	}

	@Nullable EventHandlerObservationConvention observationConvention() {
		return this.observationConvention.get();
	}

	/**
	 * How a handler method that threw is tried again: not at all for a method with Spring Framework's own
	 * {@code @Retryable} (on it or its class), whose proxy retries it by its own policy (retries are never
	 * multiplied); what becomes of its event once those are spent is still {@code exhausted}'s to say.
	 */
	HandlerRetry retry(Method method) {
		if (AnnotatedElementUtils.hasAnnotation(method, Retryable.class)
				|| AnnotatedElementUtils.hasAnnotation(method.getDeclaringClass(), Retryable.class)) {
			return this.retry.obtain().withoutRetries();
		}
		return this.retry.obtain();
	}

	void register(String handler, DeadLetters.HandlerInvocation invocation) {
		this.handlers.put(handler, invocation);
	}

	/**
	 * A handler by its name, called once with an event (no retry, no error handler): what a replay of dead letters
	 * calls.
	 * @param handler the handler's name, e.g. {@code com.example.Orders.onUpdate}
	 * @return it, or {@code null} when there is no handler of that name
	 */
	public DeadLetters.@Nullable HandlerInvocation handler(String handler) {
		return this.handlers.get(handler);
	}

	@Nullable ApplicationEventPublisher publisher() {
		return this.publisher.getIfAvailable();
	}

}

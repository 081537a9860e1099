package org.arvados.events.annotation;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.arvados.events.Acknowledgment;
import org.arvados.events.ArvadosEvent;
import org.arvados.events.dispatch.ArvadosPayloadEvent;
import org.arvados.events.filter.EventCriteria;
import org.arvados.events.retry.HandlerRetry;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.context.event.GenericApplicationListener;
import org.springframework.context.expression.MethodBasedEvaluationContext;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.Ordered;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.Order;
import org.springframework.expression.Expression;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;
import org.springframework.util.StringUtils;
import org.springframework.util.function.SingletonSupplier;

/**
 * The listener behind an {@link EventHandler} method that takes an {@link Acknowledgment} after its event. Spring's
 * {@code ApplicationListenerMethodAdapter} refuses a listener method with two parameters, so this one does by hand
 * what that one does for a method with one: the handler's filters, its SpEL condition (with the same names:
 * {@code #event}, {@code #root.event}, {@code #root.args}, {@code #p0}), {@code @Order}, the observation and the
 * retries and error handling of {@link EventHandlerMethodAdapter}. A handler that throws before it acknowledged is
 * called again as the retry says; once the retries are spent its acknowledgment is acknowledged: its failure went to
 * the error handler, as a handler without one's does. One that throws after it acknowledged is not called again.
 */
final class AcknowledgingEventHandlerAdapter implements GenericApplicationListener {

	private final String beanName;

	private final Method method;

	private final EventCriteria criteria;

	private final @Nullable Expression condition;

	private final int order;

	private final String id;

	private final EventHandlerListenerFactory factory;

	private final String description;

	private final SingletonSupplier<HandlerRetry> retry;

	AcknowledgingEventHandlerAdapter(String beanName, Class<?> targetClass, Method method,
			EventHandler annotation, EventHandlerListenerFactory factory) {
		this.beanName = beanName;
		this.method = AopUtils.selectInvocableMethod(method, targetClass);
		ReflectionUtils.makeAccessible(this.method);
		this.criteria = EventHandlerMethodAdapter.criteria(annotation);
		this.description = ClassUtils.getQualifiedMethodName(method, targetClass);
		this.condition = EventHandlerMethodAdapter.parseCondition(annotation.condition(), this.description);
		Order order = AnnotatedElementUtils.findMergedAnnotation(method, Order.class);
		this.order = (order != null) ? order.value() : Ordered.LOWEST_PRECEDENCE;
		this.id = StringUtils.hasText(annotation.id()) ? annotation.id() : this.description;
		this.factory = factory;
		this.retry = SingletonSupplier.of(() -> factory.retry(method));
		factory.register(this.description, (event) -> attempt(event, () -> {
		}, 1));
	}

	static boolean takesAcknowledgment(Method method) {
		return method.getParameterCount() == 2 && method.getParameterTypes()[0].isAssignableFrom(ArvadosEvent.class)
				&& method.getParameterTypes()[1] == Acknowledgment.class;
	}

	@Override
	public boolean supportsEventType(ResolvableType eventType) {
		return PayloadApplicationEvent.class.isAssignableFrom(eventType.toClass());
	}

	@Override
	public void onApplicationEvent(ApplicationEvent applicationEvent) {
		ArvadosEvent event = ArvadosEventApplicationEvents.payload(applicationEvent);
		if (event == null || !this.criteria.matches(event)) {
			return;
		}
		Object[] conditionArgs = { event, null };
		if (this.condition != null && !matches(applicationEvent, conditionArgs)) {
			return;
		}
		Acknowledgment acknowledgment = (applicationEvent instanceof ArvadosPayloadEvent dispatched)
				? dispatched.acknowledgment() : () -> {
				};
		AtomicBoolean acknowledged = new AtomicBoolean();
		Acknowledgment tracked = () -> {
			acknowledged.set(true);
			acknowledgment.acknowledge();
		};
		// A failure after the acknowledgment is not retried: the work it acknowledged is done.
		AtomicReference<@Nullable Throwable> afterAcknowledged = new AtomicReference<>();
		try {
			boolean handled = this.retry.obtain()
				.call(this.description, event, EventHandlerMethodAdapter.stopSignal(applicationEvent), (attempt) -> {
					try {
						attempt(event, tracked, attempt);
					}
					catch (Throwable ex) {
						if (!acknowledged.get()) {
							throw ex;
						}
						afterAcknowledged.set(ex);
					}
				});
			Throwable late = afterAcknowledged.get();
			if (late != null) {
				EventHandlerMethodAdapter.failed(this.factory, this, event, this.description, late);
			}
			else if (!handled) {
				EventHandlerMethodAdapter.letGo(applicationEvent, event, this.description);
			}
		}
		catch (Throwable ex) {
			acknowledgment.acknowledge();
			EventHandlerMethodAdapter.failed(this.factory, this, event, this.description, ex);
		}
	}

	// One observed call of the method; what it threw, unwrapped.
	private void attempt(ArvadosEvent event, Acknowledgment acknowledgment, int attempt) throws Throwable {
		try {
			EventHandlerMethodAdapter.observe(this.factory, event, this.description, attempt,
					() -> invoke(event, acknowledgment));
		}
		catch (RuntimeException | Error ex) {
			throw EventHandlerMethodAdapter.unwrap(ex);
		}
	}

	private boolean matches(ApplicationEvent applicationEvent, Object[] args) {
		MethodBasedEvaluationContext context = new MethodBasedEvaluationContext(new Root(applicationEvent, args),
				this.method, args, new DefaultParameterNameDiscoverer());
		return Boolean.TRUE.equals(this.condition.getValue(context, Boolean.class));
	}

	private @Nullable Object invoke(ArvadosEvent event, Acknowledgment acknowledgment) {
		Object bean = this.factory.beanFactory().getBean(this.beanName);
		try {
			return this.method.invoke(bean, event, acknowledgment);
		}
		catch (InvocationTargetException ex) {
			ReflectionUtils.rethrowRuntimeException(ex.getTargetException());
			return null;
		}
		catch (IllegalAccessException ex) {
			throw new IllegalStateException("Cannot call " + this.description, ex);
		}
	}

	@Override
	public int getOrder() {
		return this.order;
	}

	@Override
	public String getListenerId() {
		return this.id;
	}

	@Override
	public String toString() {
		return "@EventHandler " + this.description;
	}

	/** What the condition sees as {@code #root}, as for Spring's own listener methods. */
	public record Root(ApplicationEvent event, Object[] args) {
	}

}

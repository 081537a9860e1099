package org.arvados.events.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.AliasFor;

/**
 * Marks a method that receives {@link org.arvados.events.ArvadosEvent}s from the cluster.
 * <p>
 * The method takes one {@code ArvadosEvent} parameter, and may take an {@link org.arvados.events.Acknowledgment}
 * after it: the resume position then waits at that event until it is acknowledged. It is an {@link EventListener}
 * underneath, so {@code @Order} and {@code @Async} work as they do there. The attributes narrow what it receives; all
 * of them must match. Events reach handlers one at a time in the order the server committed them. A
 * handler that throws does not stop the stream or the other handlers: the
 * {@link org.arvados.events.dispatch.EventHandlerErrorHandler} decides what happens.
 *
 * <pre class="code">
 * &#64;EventHandler(eventTypes = "update", objectKinds = "arvados#containerRequest")
 * void onUpdate(ArvadosEvent event) { … }
 * </pre>
 */
@Target({ ElementType.METHOD, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@EventListener
public @interface EventHandler {

	/**
	 * Event types to receive ({@code create}, {@code update}, {@code delete}, …); empty for all.
	 */
	String[] eventTypes() default {};

	/**
	 * Object kinds to receive, e.g. {@code arvados#collection}; empty for all.
	 */
	String[] objectKinds() default {};

	/**
	 * Object UUID patterns to receive, where {@code *} matches any run of characters and {@code ?} one
	 * character, e.g. {@code zzzzz-4zz18-*}; empty for all.
	 */
	String[] objectUuids() default {};

	/**
	 * A SpEL condition on the event, e.g. {@code #event.newAttributes()['state'] == 'Final'}; see
	 * {@link EventListener#condition()}.
	 */
	@AliasFor(annotation = EventListener.class, attribute = "condition")
	String condition() default "";

	/**
	 * The listener's id; see {@link EventListener#id()}.
	 */
	@AliasFor(annotation = EventListener.class, attribute = "id")
	String id() default "";

}

package org.arvados.events;

/**
 * Says that the work an {@code @EventHandler} started for an event is done, as spring-kafka's does for a record.
 * A handler that declares it as its second parameter holds the resume position at that event until it calls
 * {@link #acknowledge()}, from any thread, at any later time; a durable checkpoint keeps an event not yet
 * acknowledged as open, so a restart delivers it again. A handler that throws before it acknowledged is called
 * again as {@code arvados.events.handler-retry} says; once its error handler has had its say it counts as done, as
 * a handler without the parameter does.
 *
 * <pre class="code">
 * &#64;EventHandler(objectKinds = "arvados#collection")
 * void on(ArvadosEvent event, Acknowledgment ack) {
 *     uploads.submit(() -&gt; { copy(event); ack.acknowledge(); });
 * }
 * </pre>
 */
@FunctionalInterface
public interface Acknowledgment {

	/**
	 * The work for this event is done; calling it again does nothing.
	 */
	void acknowledge();

}

package org.arvados.events.deadletter;

import java.util.List;
import java.util.Optional;

import org.arvados.events.ArvadosEvent;

/**
 * Keeps the events whose handler failed for good (its retries spent), each with the handler and the failure, so that
 * they survive a restart and can be looked at, handled again by hand, and removed.
 */
public interface EventDeadLetterStore {

	/**
	 * Set an event aside: the event as received ({@link ArvadosEvent#json()}), the handler, the failure's type and
	 * message (without the API token), how many attempts were made and when it was set aside.
	 * @param event the event
	 * @param handler the handler that failed, e.g. {@code com.example.Orders.onUpdate}
	 * @param failure the last failure
	 * @param attempts how many times the handler was called for the event, 1 for no retry
	 * @return what was kept, with its id
	 * @throws DeadLetterStoreException if it cannot be kept (the store is down, its table is missing): the event is
	 * then not set aside
	 */
	DeadLetter add(ArvadosEvent event, String handler, Throwable failure, int attempts);

	/**
	 * The dead letters, oldest first.
	 * @param max how many at most, 0 or more
	 * @return up to {@code max} of them
	 * @throws DeadLetterStoreException if the store cannot be read
	 */
	List<DeadLetter> list(int max);

	/**
	 * The dead letters of one handler, oldest first.
	 * @param handler the handler, as it was given to {@link #add}
	 * @param max how many at most, 0 or more
	 * @return up to {@code max} of them
	 * @throws DeadLetterStoreException if the store cannot be read
	 */
	List<DeadLetter> list(String handler, int max);

	/**
	 * One dead letter.
	 * @param id its id
	 * @return it, or empty when there is none with that id
	 * @throws DeadLetterStoreException if the store cannot be read
	 */
	Optional<DeadLetter> find(long id);

	/**
	 * Remove a dead letter, e.g. once it was handled again.
	 * @param id its id
	 * @return whether there was one to remove
	 * @throws DeadLetterStoreException if the store cannot be written
	 */
	boolean remove(long id);

	/**
	 * How many dead letters there are.
	 * @return the number
	 * @throws DeadLetterStoreException if the store cannot be read
	 */
	long count();

}

package org.arvados.events.deadletter;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.arvados.events.ArvadosEvent;
import org.arvados.events.LogSafe;
import org.arvados.events.decode.EventDecoder;
import org.arvados.events.decode.ServerMessage;
import org.jspecify.annotations.Nullable;

/**
 * The handler retries' dead letters ({@code handler-retry.exhausted: dead-letter}): sets events aside in the
 * {@link EventDeadLetterStore}, and hands them to their handler again ({@link #replay}). Keeps a count for health
 * and metrics, read without asking the store.
 */
public final class DeadLetters {

	private static final Log logger = LogFactory.getLog(DeadLetters.class);

	private final EventDeadLetterStore store;

	private final Function<String, @Nullable HandlerInvocation> handlers;

	private final EventDecoder decoder = new EventDecoder();

	/** -1 until first read from the store. */
	private final AtomicLong count = new AtomicLong(-1);

	private final List<Consumer<DeadLetter>> onSetAside = new CopyOnWriteArrayList<>();

	/**
	 * @param store where they are kept
	 * @param handlers each {@code @EventHandler} by its name, called once for a replay; {@code null} for a name no
	 * handler has now
	 */
	public DeadLetters(EventDeadLetterStore store, Function<String, @Nullable HandlerInvocation> handlers) {
		this.store = store;
		this.handlers = handlers;
	}

	/**
	 * Be told of each letter kept (metrics).
	 * @param listener told on the handler's thread; must return at once
	 */
	public void onSetAside(Consumer<DeadLetter> listener) {
		this.onSetAside.add(listener);
	}

	/**
	 * Set an event aside.
	 * @return what was kept
	 * @throws DeadLetterStoreException when it cannot be kept
	 */
	public DeadLetter setAside(ArvadosEvent event, String handler, Throwable failure, int attempts) {
		DeadLetter letter = this.store.add(event, handler, failure, attempts);
		this.count.updateAndGet((n) -> (n < 0) ? n : n + 1);
		logger.warn("Arvados event " + event.id() + " is set aside as dead letter " + letter.id() + ": handler "
				+ LogSafe.forLog(handler) + " still fails after " + attempts + " attempt(s); it counts as handled");
		for (Consumer<DeadLetter> listener : this.onSetAside) {
			try {
				listener.accept(letter);
			}
			catch (RuntimeException ex) {
				// Telling of it must not undo it.
			}
		}
		return letter;
	}

	/**
	 * How many dead letters there are: counted once from the store, then kept up to date here (another instance's
	 * letters show after a restart).
	 * @return the number, or -1 when the store could not be read
	 */
	public long count() {
		long count = this.count.get();
		if (count >= 0) {
			return count;
		}
		try {
			long counted = this.store.count();
			this.count.compareAndSet(-1, counted);
			return counted;
		}
		catch (RuntimeException ex) {
			return -1;
		}
	}

	/**
	 * Hand dead letters to their handler again, oldest first, and remove each one it handled.
	 * @param handler only that handler's letters; {@code null} for all
	 * @param max how many at most
	 * @return how many were handled and removed, how many failed again (kept), and how many have no such handler now
	 * (kept)
	 */
	public Replay replay(@Nullable String handler, int max) {
		List<DeadLetter> letters = (handler != null) ? this.store.list(handler, max) : this.store.list(max);
		int handled = 0;
		int failed = 0;
		int unknown = 0;
		for (DeadLetter letter : letters) {
			HandlerInvocation invocation = this.handlers.apply(letter.handler());
			if (invocation == null) {
				unknown++;
				continue;
			}
			try {
				invocation.invoke(event(letter));
			}
			catch (Throwable ex) {
				failed++;
				logger.warn("Dead letter " + letter.id() + " (Arvados event " + letter.eventId() + ") failed again in "
						+ LogSafe.forLog(letter.handler()) + "; it is kept: " + LogSafe.forLog(ex.getClass().getName()));
				continue;
			}
			if (this.store.remove(letter.id())) {
				this.count.updateAndGet((n) -> (n <= 0) ? n : n - 1);
			}
			handled++;
		}
		return new Replay(handled, failed, unknown);
	}

	private ArvadosEvent event(DeadLetter letter) {
		if (this.decoder.decode(letter.eventJson()) instanceof ServerMessage.Event event) {
			return event.event();
		}
		throw new IllegalStateException("Dead letter " + letter.id() + " does not hold an event");
	}

	/**
	 * One {@code @EventHandler} method, called once with an event, as a replay calls it: no retry, no error handler.
	 */
	@FunctionalInterface
	public interface HandlerInvocation {

		/**
		 * @param event the event
		 * @throws Throwable what the handler threw
		 */
		void invoke(ArvadosEvent event) throws Throwable;

	}

	/**
	 * What a replay did.
	 * @param handled handed to their handler, which returned, and removed
	 * @param failed handed to their handler, which threw again: kept
	 * @param unknown no handler of that name now: kept
	 */
	public record Replay(int handled, int failed, int unknown) {
	}

}

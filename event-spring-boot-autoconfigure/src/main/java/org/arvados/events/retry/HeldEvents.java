package org.arvados.events.retry;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import org.arvados.events.LogSafe;
import org.arvados.events.dispatch.StopSignal;
import org.jspecify.annotations.Nullable;

/**
 * The events held now ({@link WhenExhausted#HOLD}), and the way to let one go: what health, the metrics and the
 * {@code arvadosevents} endpoint read. One per application.
 */
public final class HeldEvents {

	private static final long RELEASE_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

	private final Set<Hold> holds = ConcurrentHashMap.newKeySet();

	private final Clock clock;

	private final UnaryOperator<String> redactor;

	private volatile Consumer<HeldEvent> onHeld = (held) -> {
	};

	/**
	 * @param redactor removes tokens from text (for the last error): the dead letters' {@code DeadLetterRedactor},
	 * which masks any Arvados v2 token, {@code api_token} value and credentials, and the configured token
	 */
	public HeldEvents(UnaryOperator<String> redactor) {
		this(Clock.systemUTC(), redactor);
	}

	HeldEvents(Clock clock, UnaryOperator<String> redactor) {
		this.clock = clock;
		this.redactor = redactor;
	}

	/**
	 * Be told of each event as it is held (an application event, a log line).
	 * @param onHeld told on the handler's thread; must return at once
	 */
	public void setOnHeld(Consumer<HeldEvent> onHeld) {
		this.onHeld = onHeld;
	}

	/**
	 * The events held now, the longest held first.
	 * @return a snapshot
	 */
	public List<HeldEvent> list() {
		List<HeldEvent> list = new ArrayList<>();
		for (Hold hold : this.holds) {
			list.add(hold.describe());
		}
		list.sort(Comparator.comparing(HeldEvent::since).thenComparing(HeldEvent::eventId));
		return list;
	}

	/**
	 * How many events are held now.
	 */
	public int count() {
		return this.holds.size();
	}

	/**
	 * Let a held event go: its handler is not called again, the {@code EventHandlerErrorHandler} has its last
	 * failure, and the event counts as handled; the stream goes on after it.
	 * @param eventId the event's id
	 * @return whether an event with that id was held
	 */
	public boolean release(long eventId) {
		boolean found = false;
		for (Hold hold : this.holds) {
			if (hold.eventId == eventId) {
				hold.released.countDown();
				found = true;
			}
		}
		return found;
	}

	Hold hold(long eventId, String handler, int attempts, Throwable failure) {
		Hold hold = new Hold(eventId, handler, attempts, this.clock.instant(), failure);
		this.holds.add(hold);
		try {
			this.onHeld.accept(hold.describe());
		}
		catch (RuntimeException ex) {
			// Telling of it must not end the hold.
		}
		return hold;
	}

	void end(Hold hold) {
		this.holds.remove(hold);
	}

	/** The last failure, as health shows it: type and message, on one line, without anything like a token. */
	String describe(Throwable failure) {
		String message = failure.getMessage();
		String text = failure.getClass().getName() + ((message != null) ? ": " + message : "");
		return LogSafe.forLog(this.redactor.apply(text));
	}

	/** One hold, under way on a handler's thread. */
	final class Hold {

		private final long eventId;

		private final String handler;

		private final Instant since;

		private final AtomicInteger attempts;

		private volatile Throwable lastFailure;

		private final CountDownLatch released = new CountDownLatch(1);

		Hold(long eventId, String handler, int attempts, Instant since, Throwable failure) {
			this.eventId = eventId;
			this.handler = handler;
			this.since = since;
			this.attempts = new AtomicInteger(attempts);
			this.lastFailure = failure;
		}

		void failed(Throwable failure) {
			this.attempts.incrementAndGet();
			this.lastFailure = failure;
		}

		Throwable lastFailure() {
			return this.lastFailure;
		}

		boolean isReleased() {
			return this.released.getCount() == 0;
		}

		/**
		 * Wait the time between two attempts, for a stop or a release.
		 * @return what ended the wait: {@code null} when it ran out
		 */
		@Nullable End await(long nanos, StopSignal stop) {
			long deadline = System.nanoTime() + nanos;
			try {
				while (true) {
					if (isReleased()) {
						return End.RELEASED;
					}
					long left = deadline - System.nanoTime();
					if (left <= 0) {
						return null;
					}
					if (stop.isStopping() || stop.await(Math.min(left, RELEASE_CHECK_NANOS))) {
						return End.STOPPED;
					}
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return End.STOPPED;
			}
		}

		HeldEvent describe() {
			return new HeldEvent(this.eventId, this.handler, this.attempts.get(), this.since,
					HeldEvents.this.describe(this.lastFailure));
		}

	}

	/** What ended a hold's wait. */
	enum End {

		STOPPED, RELEASED

	}

}

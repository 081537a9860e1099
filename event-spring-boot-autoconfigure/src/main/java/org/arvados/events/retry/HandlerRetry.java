package org.arvados.events.retry;

import java.time.Duration;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.arvados.events.ArvadosEvent;
import org.arvados.events.LogSafe;
import org.arvados.events.NonRetryableEventException;
import org.arvados.events.deadletter.DeadLetters;
import org.arvados.events.dispatch.StopSignal;
import org.jspecify.annotations.Nullable;

import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryListener;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.core.retry.Retryable;
import org.springframework.util.Assert;
import org.springframework.util.ExceptionTypeFilter;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;

/**
 * Calls one handler for one event, and again after each failure as long as a {@link RetryPolicy} says, with its
 * back-off between attempts: Spring Framework's {@link RetryTemplate} does the retrying. Only the handler that
 * failed is called again.
 * <p>
 * The first attempt runs outside the template, so that a handler that does not fail pays nothing for retries; after
 * a failure the template starts with that failure as its first attempt's. The back-off between attempts waits on
 * the run's {@link StopSignal} rather than in the template's {@code Thread.sleep}: a stop (or a lead lost) ends the
 * wait at once without interrupting the thread a handler may be running on, and the event is then given up
 * unhandled rather than failed.
 * <p>
 * When the retries are spent, {@link WhenExhausted} says what follows: the failure is thrown (to the error handler),
 * the event is held (the handler called again every interval, by a second template, until it succeeds, is released
 * or the run stops), or it is set aside as a dead letter (held when that fails).
 */
public final class HandlerRetry {

	private static final Log logger = LogFactory.getLog(HandlerRetry.class);

	/** No retries: the first failure is the last. */
	public static final HandlerRetry NONE = new HandlerRetry(RetryPolicy.builder().maxRetries(0).build(),
			new RetryListener() {
			});

	/**
	 * What a held event's attempts throw to the template instead of the handler's failure (kept by the hold): the
	 * template keeps each attempt's exception until it returns, and a hold may last days. Without a stack trace, and
	 * the same every time, so that it keeps only a reference per attempt.
	 */
	private static final RuntimeException STILL_FAILING = new RuntimeException("still failing", null, false, false) {
	};

	/** A {@link NonRetryableEventException}, thrown or among the causes, as the policy's own filter finds types. */
	private static final ExceptionTypeFilter NON_RETRYABLE = new ExceptionTypeFilter(
			List.of(NonRetryableEventException.class), null);

	private final RetryPolicy policy;

	private final RetryListener listener;

	private final WhenExhausted whenExhausted;

	private final Duration holdInterval;

	private final @Nullable HeldEvents held;

	private final @Nullable DeadLetters deadLetters;

	/**
	 * Retries that end in the error handler ({@link WhenExhausted#SKIP}).
	 * @param policy which failures are retried, how often and how long apart; a failure that is, or is caused by, a
	 * {@link NonRetryableEventException} is never retried
	 * @param listener told of each retry and its outcome (metrics)
	 */
	public HandlerRetry(RetryPolicy policy, RetryListener listener) {
		this(policy, listener, WhenExhausted.SKIP, Duration.ZERO, null, null);
	}

	/**
	 * @param policy which failures are retried, how often and how long apart; a failure that is, or is caused by, a
	 * {@link NonRetryableEventException} is never retried
	 * @param listener told of each retry and its outcome (metrics)
	 * @param whenExhausted what becomes of an event whose handler still fails
	 * @param holdInterval the wait between the attempts of a held event: with {@link WhenExhausted#HOLD}, and with
	 * {@link WhenExhausted#DEAD_LETTER} when the dead letter cannot be kept
	 * @param held the events held
	 * @param deadLetters where events are set aside, with {@link WhenExhausted#DEAD_LETTER}
	 */
	public HandlerRetry(RetryPolicy policy, RetryListener listener, WhenExhausted whenExhausted, Duration holdInterval,
			@Nullable HeldEvents held, @Nullable DeadLetters deadLetters) {
		Assert.isTrue(whenExhausted == WhenExhausted.SKIP || (held != null && holdInterval.toMillis() > 0),
				"A hold needs HeldEvents and an interval");
		Assert.isTrue(whenExhausted != WhenExhausted.DEAD_LETTER || deadLetters != null,
				"dead-letter needs DeadLetters");
		this.policy = policy;
		this.listener = listener;
		this.whenExhausted = whenExhausted;
		this.holdInterval = holdInterval;
		this.held = held;
		this.deadLetters = deadLetters;
	}

	/**
	 * The same, without retries: for a handler that retries by itself (Spring Framework's {@code @Retryable}), whose
	 * failure, once its own retries are spent, still ends as {@code exhausted} says.
	 * @return a retry that calls the handler once before {@code exhausted} applies
	 */
	public HandlerRetry withoutRetries() {
		return new HandlerRetry(RetryPolicy.builder().maxRetries(0).build(), this.listener, this.whenExhausted,
				this.holdInterval, this.held, this.deadLetters);
	}

	/**
	 * Call the handler until it succeeds, its failure is not retryable, the retries are spent (and, with
	 * {@link WhenExhausted#HOLD}, until it succeeds or is let go), or the run is being stopped.
	 * @param handler the handler's name, for the template's log lines and the listener
	 * @param event the event, for a hold
	 * @param stop the run's stop signal
	 * @param attempt calls the handler once; given the attempt's number, 1 for the first
	 * @return {@code true} when the handler succeeded; {@code false} when a stop cut the retries short (the event is
	 * not handled)
	 * @throws Throwable the last failure, when the event is to go to the error handler: not retryable, the retries
	 * spent, or let go from its hold
	 */
	public boolean call(String handler, ArvadosEvent event, StopSignal stop, Attempt attempt) throws Throwable {
		Throwable failure;
		try {
			attempt.run(1);
			return true;
		}
		catch (Throwable ex) {
			failure = ex;
		}
		int attempts = 1;
		if (retryable(failure)) {
			StoppableBackOff backOff = new StoppableBackOff(this.policy.getBackOff(), stop);
			RetryTemplate template = new RetryTemplate(new Policy(this.policy, backOff));
			template.setRetryListener(this.listener);
			Throwable first = failure;
			try {
				template.execute(new Retryable<@Nullable Void>() {

					private int number;

					@Override
					public @Nullable Void execute() throws Throwable {
						this.number++;
						if (this.number == 1) {
							throw first; // the first attempt, made above
						}
						attempt.run(this.number);
						return null;
					}

					@Override
					public String getName() {
						return handler;
					}

				});
				return true;
			}
			catch (RetryException ex) {
				if (backOff.cut || stop.isStopping()) {
					// Cut short by the stop, in the back-off or by an interrupt during it: attempts were left.
					return false;
				}
				failure = ex.getCause();
				attempts += ex.getRetryCount();
			}
		}
		if (this.whenExhausted == WhenExhausted.DEAD_LETTER && this.deadLetters != null) {
			try {
				this.deadLetters.setAside(event, handler, failure, attempts);
				return true;
			}
			catch (RuntimeException ex) {
				// Not kept: the event is held instead, never lost; health shows why.
				failure.addSuppressed(ex);
				logger.error("Arvados event " + event.id() + " could not be set aside as a dead letter ("
						+ LogSafe.forLog(ex.getMessage()) + "); it is held instead");
			}
		}
		if (this.whenExhausted != WhenExhausted.SKIP && this.held != null) {
			return hold(handler, event, stop, attempt, failure, attempts, this.held);
		}
		throw failure;
	}

	// Every holdInterval, until the handler succeeds, the event is let go (its last failure is thrown), or a stop.
	private boolean hold(String handler, ArvadosEvent event, StopSignal stop, Attempt attempt, Throwable failure,
			int attempts, HeldEvents held) throws Throwable {
		HeldEvents.Hold hold = held.hold(event.id(), handler, attempts, failure);
		try {
			HoldBackOff backOff = new HoldBackOff(this.holdInterval.toNanos(), hold, stop);
			RetryTemplate template = new RetryTemplate(RetryPolicy.builder()
				.backOff(backOff)
				.predicate((ex) -> ex == STILL_FAILING)
				.build());
			template.execute(new Retryable<@Nullable Void>() {

				private int number = attempts;

				@Override
				public @Nullable Void execute() {
					if (this.number == attempts) {
						this.number++;
						throw STILL_FAILING; // the last attempt, made above
					}
					try {
						attempt.run(this.number++);
						return null;
					}
					catch (Throwable ex) {
						hold.failed(ex);
						throw STILL_FAILING;
					}
				}

				@Override
				public String getName() {
					return handler;
				}

			});
			return true;
		}
		catch (RetryException ex) {
			if (hold.isReleased()) {
				throw hold.lastFailure();
			}
			return false;
		}
		finally {
			held.end(hold);
		}
	}
	/**
	 * Whether the policy would retry this failure at all.
	 * @param failure what a handler threw
	 * @return {@code false} for a {@link NonRetryableEventException} and what the policy excludes
	 */
	public boolean retryable(Throwable failure) {
		return this.policy.shouldRetry(failure) && !nonRetryable(failure);
	}

	private static boolean nonRetryable(Throwable failure) {
		return NON_RETRYABLE.match(failure, true);
	}

	/** One call of the handler. */
	@FunctionalInterface
	public interface Attempt {

		/**
		 * @param number 1 for the first attempt, 2 for the first retry, and so on
		 * @throws Throwable what the handler threw
		 */
		void run(int number) throws Throwable;

	}

	/** The application's policy, with the back-off that a stop cuts short. */
	private static final class Policy implements RetryPolicy {

		private final RetryPolicy policy;

		private final BackOff backOff;

		Policy(RetryPolicy policy, BackOff backOff) {
			this.policy = policy;
			this.backOff = backOff;
		}

		@Override
		public boolean shouldRetry(Throwable throwable) {
			return this.policy.shouldRetry(throwable) && !nonRetryable(throwable);
		}

		@Override
		public Duration getTimeout() {
			return this.policy.getTimeout();
		}

		@Override
		public BackOff getBackOff() {
			return this.backOff;
		}

	}

	/** A held event's back-off: the hold's interval, waited out on the stop signal and the hold's release. */
	private static final class HoldBackOff implements BackOff {

		private final long nanos;

		private final HeldEvents.Hold hold;

		private final StopSignal stop;

		HoldBackOff(long nanos, HeldEvents.Hold hold, StopSignal stop) {
			this.nanos = nanos;
			this.hold = hold;
			this.stop = stop;
		}

		@Override
		public BackOffExecution start() {
			return () -> (this.hold.await(this.nanos, this.stop) != null) ? BackOffExecution.STOP : 0;
		}

	}

	/**
	 * The policy's back-off, waited out here on the stop signal: the template's own sleep then lasts nothing. When
	 * the stop comes first it says stop, as a back-off that ran out would, and remembers that it was cut.
	 */
	private static final class StoppableBackOff implements BackOff {

		private final BackOff delegate;

		private final StopSignal stop;

		private volatile boolean cut;

		StoppableBackOff(BackOff delegate, StopSignal stop) {
			this.delegate = delegate;
			this.stop = stop;
		}

		@Override
		public BackOffExecution start() {
			BackOffExecution execution = this.delegate.start();
			return () -> {
				long millis = execution.nextBackOff();
				if (millis == BackOffExecution.STOP) {
					return BackOffExecution.STOP;
				}
				try {
					if (this.stop.isStopping() || this.stop.await(Duration.ofMillis(millis).toNanos())) {
						this.cut = true;
						return BackOffExecution.STOP;
					}
				}
				catch (InterruptedException ex) {
					// The template's sleep sees the interrupt and ends the retries.
					Thread.currentThread().interrupt();
				}
				return 0;
			};
		}

	}

}

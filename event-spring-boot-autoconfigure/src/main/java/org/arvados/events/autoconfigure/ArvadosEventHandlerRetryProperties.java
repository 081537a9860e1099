package org.arvados.events.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.arvados.events.retry.WhenExhausted;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * How an {@code @EventHandler} that throws is tried again ({@code arvados.events.handler-retry.*}), on Spring
 * Framework's core retry: only the handler that threw is called again, after a back-off that grows from
 * {@code delay} by {@code multiplier} up to {@code max-delay}. When the retries are spent, or the failure is not
 * retryable, {@code exhausted} says what becomes of the event.
 */
@ConfigurationProperties("arvados.events.handler-retry")
public class ArvadosEventHandlerRetryProperties implements Validator {

	/**
	 * How many times a handler that threw is called again for the same event; 0 turns retries off.
	 */
	private long maxRetries = 3;

	/**
	 * The wait before the first retry.
	 */
	private Duration delay = Duration.ofSeconds(1);

	/**
	 * What each wait is multiplied by for the next; 1 keeps them equal.
	 */
	private double multiplier = 2.0;

	/**
	 * The longest wait between two attempts.
	 */
	private Duration maxDelay = Duration.ofSeconds(30);

	/**
	 * Up to how much each wait is made longer or shorter at random; 0 for none.
	 */
	private Duration jitter = Duration.ZERO;

	/**
	 * The exception types retried (with their subclasses, found as the exception or among its causes); empty for
	 * all but those excluded.
	 */
	private List<Class<? extends Throwable>> includes = new ArrayList<>();

	/**
	 * The exception types never retried (with their subclasses); {@code NonRetryableEventException} never is.
	 */
	private List<Class<? extends Throwable>> excludes = new ArrayList<>();

	/**
	 * What becomes of an event whose handler still fails after its retries: skip (the error handler has the
	 * failure, the event counts as handled), or hold (the handler is called again every max-delay until it
	 * succeeds or the event is released; the position stays on it).
	 */
	private WhenExhausted exhausted = WhenExhausted.SKIP;

	public long getMaxRetries() {
		return this.maxRetries;
	}

	public void setMaxRetries(long maxRetries) {
		this.maxRetries = maxRetries;
	}

	public Duration getDelay() {
		return this.delay;
	}

	public void setDelay(Duration delay) {
		this.delay = delay;
	}

	public double getMultiplier() {
		return this.multiplier;
	}

	public void setMultiplier(double multiplier) {
		this.multiplier = multiplier;
	}

	public Duration getMaxDelay() {
		return this.maxDelay;
	}

	public void setMaxDelay(Duration maxDelay) {
		this.maxDelay = maxDelay;
	}

	public Duration getJitter() {
		return this.jitter;
	}

	public void setJitter(Duration jitter) {
		this.jitter = jitter;
	}

	public List<Class<? extends Throwable>> getIncludes() {
		return this.includes;
	}

	public void setIncludes(List<Class<? extends Throwable>> includes) {
		this.includes = includes;
	}

	public List<Class<? extends Throwable>> getExcludes() {
		return this.excludes;
	}

	public void setExcludes(List<Class<? extends Throwable>> excludes) {
		this.excludes = excludes;
	}

	@Override
	public boolean supports(Class<?> type) {
		return type == ArvadosEventHandlerRetryProperties.class;
	}

	// While binding, so that a value out of range stops start-up with Boot's binding report and Spring's reason.
	@Override
	public void validate(Object target, Errors errors) {
		try {
			((ArvadosEventHandlerRetryProperties) target).toPolicy();
		}
		catch (IllegalArgumentException | IllegalStateException ex) {
			errors.reject("invalid", String.valueOf(ex.getMessage()));
		}
	}

	public WhenExhausted getExhausted() {
		return this.exhausted;
	}

	public void setExhausted(WhenExhausted exhausted) {
		this.exhausted = exhausted;
	}

	/**
	 * The policy these properties describe; Spring Framework's builder rejects values out of range (a negative
	 * count, a multiplier below 1, a jitter larger than the delay).
	 * @return the policy
	 */
	RetryPolicy toPolicy() {
		return RetryPolicy.builder()
			.maxRetries(this.maxRetries)
			.delay(this.delay)
			.multiplier(this.multiplier)
			.maxDelay(this.maxDelay)
			.jitter(this.jitter)
			.includes(this.includes)
			.excludes(this.excludes)
			.build();
	}

}

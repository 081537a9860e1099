package org.arvados.events.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.arvados.events.retry.HandlerRetryListener;

import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryState;
import org.springframework.core.retry.Retryable;

/**
 * Counts the retries of {@code @EventHandler} methods: {@code arvados.events.handler.retries}, tagged
 * {@code handler} and {@code exception} (the simple name of the failure that led to the retry).
 */
public class HandlerRetryMetrics implements HandlerRetryListener {

	private final MeterRegistry registry;

	public HandlerRetryMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void beforeRetry(RetryPolicy retryPolicy, Retryable<?> retryable, RetryState retryState) {
		this.registry
			.counter("arvados.events.handler.retries",
					Tags.of("handler", retryable.getName(), "exception",
							retryState.getLastException().getClass().getSimpleName()))
			.increment();
	}

}

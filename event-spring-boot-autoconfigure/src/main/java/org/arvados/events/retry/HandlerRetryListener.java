package org.arvados.events.retry;

import org.springframework.core.retry.RetryListener;

/**
 * A {@link RetryListener} of the retries of {@code @EventHandler} methods, told by {@link HandlerRetry} (as
 * opposed to any other {@code RetryListener} bean, which the application may have for its own retries). The
 * retryable's name is the handler's.
 */
public interface HandlerRetryListener extends RetryListener {

}

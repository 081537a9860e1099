/**
 * Retries of an {@code @EventHandler} that failed, on Spring Framework's core retry:
 * {@link org.arvados.events.retry.HandlerRetry}.
 */
@NullMarked
package org.arvados.events.retry;

import org.jspecify.annotations.NullMarked;

/**
 * Micrometer observations of {@code @EventHandler} invocations, for timers and traces.
 */
@NullMarked
package org.arvados.events.observation;

import org.jspecify.annotations.NullMarked;

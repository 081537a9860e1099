/**
 * Micrometer meters of the event stream and its handlers.
 */
@NullMarked
package org.arvados.events.metrics;

import org.jspecify.annotations.NullMarked;

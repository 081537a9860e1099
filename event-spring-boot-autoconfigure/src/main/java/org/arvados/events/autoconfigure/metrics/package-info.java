/**
 * Auto-configuration of the event stream's metrics.
 */
@NullMarked
package org.arvados.events.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;

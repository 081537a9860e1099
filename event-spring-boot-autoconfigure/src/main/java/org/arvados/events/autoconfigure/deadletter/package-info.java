/**
 * Auto-configuration of the dead-letter store: a database table for the events whose handler failed for good.
 */
@NullMarked
package org.arvados.events.autoconfigure.deadletter;

import org.jspecify.annotations.NullMarked;

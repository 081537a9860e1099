/**
 * The actuator health of the event stream.
 */
@NullMarked
package org.arvados.events.health;

import org.jspecify.annotations.NullMarked;

/**
 * Where the events whose handler failed for good are set aside, to be looked at and handled again by hand.
 */
@NullMarked
package org.arvados.events.deadletter;

import org.jspecify.annotations.NullMarked;

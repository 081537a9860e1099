/**
 * Auto-configuration of the event stream's health contributor.
 */
@NullMarked
package org.arvados.events.autoconfigure.health;

import org.jspecify.annotations.NullMarked;

/**
 * Auto-configuration for Spring Boot Actuator's endpoints beside health and metrics.
 */
@NullMarked
package org.arvados.events.autoconfigure.actuate;

import org.jspecify.annotations.NullMarked;

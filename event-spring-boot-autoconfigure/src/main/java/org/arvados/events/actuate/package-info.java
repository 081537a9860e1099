/**
 * The {@code arvadosevents} actuator endpoint: {@link org.arvados.events.actuate.ArvadosEventsEndpoint}.
 */
@NullMarked
package org.arvados.events.actuate;

import org.jspecify.annotations.NullMarked;

/**
 * The event model: {@link org.arvados.events.ArvadosEvent}, one row of the Arvados log.
 */
@NullMarked
package org.arvados.events;

import org.jspecify.annotations.NullMarked;

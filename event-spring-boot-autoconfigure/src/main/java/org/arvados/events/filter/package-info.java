/**
 * Arvados filters ({@code [attribute, operator, operand]}) as sent to the server and applied on the client.
 */
@NullMarked
package org.arvados.events.filter;

import org.jspecify.annotations.NullMarked;

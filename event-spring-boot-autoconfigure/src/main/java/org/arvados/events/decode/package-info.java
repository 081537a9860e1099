/**
 * Turns the server's JSON text into events, status replies and keepalives.
 */
@NullMarked
package org.arvados.events.decode;

import org.jspecify.annotations.NullMarked;

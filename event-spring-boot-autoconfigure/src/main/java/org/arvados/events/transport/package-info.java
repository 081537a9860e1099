/**
 * The connection to the cluster: discovery of the WebSocket URL, the WebSocket itself, TLS.
 */
@NullMarked
package org.arvados.events.transport;

import org.jspecify.annotations.NullMarked;

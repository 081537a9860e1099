/**
 * A Spring {@code WebSocketClient} on Netty, chosen with {@code arvados.events.websocket.client=netty}.
 */
@NullMarked
package org.arvados.events.transport.netty;

import org.jspecify.annotations.NullMarked;

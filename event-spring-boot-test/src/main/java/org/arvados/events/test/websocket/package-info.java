/**
 * The fake arvados-ws server: handshake, per-connection queues, subscriptions, replay and fault injection.
 */
@NullMarked
package org.arvados.events.test.websocket;

import org.jspecify.annotations.NullMarked;

/**
 * Pull listeners: code that asks for the next event when it is ready ({@code poll}, {@code take}, a
 * {@code Stream}) instead of being called. Each listener selects events and keeps them in a bounded queue of its
 * own, fed from the dispatching thread without ever blocking it; what happens when a queue is full is the
 * listener's {@link org.arvados.events.pull.OverflowPolicy}, counted and logged.
 */
@NullMarked
package org.arvados.events.pull;

import org.jspecify.annotations.NullMarked;

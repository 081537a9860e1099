/**
 * The managed subscription: connects, resubscribes, watches for silence and feeds the dispatcher.
 */
@NullMarked
package org.arvados.events.subscription;

import org.jspecify.annotations.NullMarked;

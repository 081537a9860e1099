/**
 * The single thread that hands queued events to the handlers, and what happens when a handler fails.
 */
@NullMarked
package org.arvados.events.dispatch;

import org.jspecify.annotations.NullMarked;

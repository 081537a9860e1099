/**
 * {@code @EventHandler} and the listener factory that turns annotated methods into filtered application listeners.
 */
@NullMarked
package org.arvados.events.annotation;

import org.jspecify.annotations.NullMarked;

/**
 * The gap-aware resume position and where it is kept between runs.
 */
@NullMarked
package org.arvados.events.checkpoint;

import org.jspecify.annotations.NullMarked;

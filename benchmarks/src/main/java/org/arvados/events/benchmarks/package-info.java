/**
 * Benchmarks of the starter: a frame-blasting WebSocket server, raw clients for the limit, and the figures.
 */
@NullMarked
package org.arvados.events.benchmarks;

import org.jspecify.annotations.NullMarked;

/**
 * Throughput benchmarks: a frame-blasting WebSocket server and the client under measurement.
 */
@NullMarked
package org.arvados.events.benchmarks;

import org.jspecify.annotations.NullMarked;

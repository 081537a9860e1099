/**
 * JSON and timestamp formats shared by the fake cluster's WebSocket and REST sides.
 */
@NullMarked
package org.arvados.events.test.format;

import org.jspecify.annotations.NullMarked;

/**
 * An in-process fake Arvados cluster (WebSocket event server, discovery document, logs list) for tests and demos.
 */
@NullMarked
package org.arvados.events.test;

import org.jspecify.annotations.NullMarked;

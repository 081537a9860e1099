/**
 * The fake API server: discovery document and the logs list endpoint used by poll fallback.
 */
@NullMarked
package org.arvados.events.test.api;

import org.jspecify.annotations.NullMarked;

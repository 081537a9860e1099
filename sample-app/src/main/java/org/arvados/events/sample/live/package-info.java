/**
 * The sample's live page: {@code GET /stream} as Server-Sent Events, one pull listener per browser, drained by a
 * small scheduler; the stream's phase changes recorded from its lifecycle events; {@code static/index.html} shows
 * them.
 */
@NullMarked
package org.arvados.events.sample.live;

import org.jspecify.annotations.NullMarked;

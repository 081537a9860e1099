/**
 * The sample's live page: {@code GET /stream} as Server-Sent Events to at most {@code sample.live.max-viewers}
 * browsers, each sent to by a thread of its own from the last events that one pull listener took; the stream's
 * phase changes recorded from its lifecycle events; {@code static/index.html} shows them.
 */
@NullMarked
package org.arvados.events.sample.live;

import org.jspecify.annotations.NullMarked;

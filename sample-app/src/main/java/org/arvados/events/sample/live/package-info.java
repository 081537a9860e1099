/**
 * The sample's live page: {@code GET /stream} as Server-Sent Events to at most {@code sample.live.max-viewers}
 * browsers, each sent to by a thread of its own from the last events that one pull listener took; the stream's
 * phase changes since the start, recorded from its lifecycle events; the events per second by type over the last
 * minutes; {@code GET /stream/events/{id}} for one event's JSON; {@code static/index.html} shows them.
 */
@NullMarked
package org.arvados.events.sample.live;

import org.jspecify.annotations.NullMarked;

package org.arvados.events.sample.live;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code GET /stream}: the events and the stream's state as Server-Sent Events, for the live page.
 */
@RestController
@ConditionalOnProperty(name = "sample.live.enabled", matchIfMissing = true)
class LiveStreamController {

	private final LiveViewers viewers;

	LiveStreamController(LiveViewers viewers) {
		this.viewers = viewers;
	}

	@GetMapping(path = "/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	SseEmitter stream() {
		return this.viewers.open();
	}

}

package org.arvados.events.sample.live;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code GET /stream}: the events and the stream's state as Server-Sent Events, for the live page; a 503 with a
 * line of text once the page has {@code sample.live.max-viewers}.
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

	// The content type is set, so the request's Accept: text/event-stream does not turn it into a 406.
	@ExceptionHandler
	ResponseEntity<String> full(LiveViewers.Full ex) {
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.contentType(MediaType.TEXT_PLAIN)
			.body(ex.getMessage() + "\n");
	}

}

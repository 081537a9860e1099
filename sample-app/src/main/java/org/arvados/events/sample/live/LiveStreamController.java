package org.arvados.events.sample.live;

import org.arvados.events.ArvadosEvent;
import org.arvados.events.sample.live.Messages.EventJson;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code GET /stream}: the events and the stream's state as Server-Sent Events, for the live page; a 503 with a
 * line of text once the page has {@code sample.live.max-viewers}. {@code GET /stream/events/{id}}: the JSON of one
 * of the page's last {@code sample.live.capacity} events, when a row is clicked; a 404 once it has left.
 */
@RestController
@ConditionalOnProperty(name = "sample.live.enabled", matchIfMissing = true)
class LiveStreamController {

	private final LiveViewers viewers;

	private final LiveEvents events;

	LiveStreamController(LiveViewers viewers, LiveEvents events) {
		this.viewers = viewers;
		this.events = events;
	}

	@GetMapping(path = "/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	SseEmitter stream() {
		return this.viewers.open();
	}

	// Only what the page holds anyway: an event still in its ring, not a way to read the cluster's log.
	@GetMapping(path = "/stream/events/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<EventJson> event(@PathVariable long id) {
		ArvadosEvent event = this.events.find(id);
		return (event != null) ? ResponseEntity.ok(EventJson.of(event)) : ResponseEntity.notFound().build();
	}

	// The content type is set, so the request's Accept: text/event-stream does not turn it into a 406.
	@ExceptionHandler
	ResponseEntity<String> full(LiveViewers.Full ex) {
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.contentType(MediaType.TEXT_PLAIN)
			.body(ex.getMessage() + "\n");
	}

}

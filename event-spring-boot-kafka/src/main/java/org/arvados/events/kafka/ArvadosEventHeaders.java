package org.arvados.events.kafka;

import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The headers of each record {@link KafkaEventPublisher} sends, so that a consumer can route an event, or drop one
 * it has seen, without parsing the value. Each value is UTF-8 text.
 */
public final class ArvadosEventHeaders {

	/**
	 * The event's id, the Arvados log row's, in decimal. After a crash or a fail-over an event may be sent again:
	 * a repeat has the same id, so a consumer drops what it has done already by this header.
	 */
	public static final String EVENT_ID = "arvados-event-id";

	/** The event's type: {@code create}, {@code update}, {@code delete}, … */
	public static final String EVENT_TYPE = "event_type";

	/** The kind of the object that changed, e.g. {@code arvados#collection}; empty when unknown. */
	public static final String OBJECT_KIND = "object_kind";

	private ArvadosEventHeaders() {
	}

	/**
	 * The event id a record carries.
	 * @param headers the record's headers
	 * @return the id, or empty when the record has no {@value #EVENT_ID} header (it was not sent by the publisher)
	 * @throws NumberFormatException if the header is there but not a number
	 */
	public static OptionalLong eventId(Headers headers) {
		Header header = headers.lastHeader(EVENT_ID);
		if (header == null || header.value() == null) {
			return OptionalLong.empty();
		}
		return OptionalLong.of(Long.parseLong(new String(header.value(), StandardCharsets.UTF_8)));
	}

}

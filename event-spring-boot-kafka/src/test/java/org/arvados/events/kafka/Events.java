package org.arvados.events.kafka;

import java.time.Instant;
import java.util.Map;

import org.arvados.events.ArvadosEvent;

/** Events made by hand, for the tests that need no cluster. */
final class Events {

	private Events() {
	}

	static ArvadosEvent update(long id, String objectUuid) {
		String json = "{\"id\":" + id + ",\"object_uuid\":\"" + objectUuid + "\",\"event_type\":\"update\"}";
		return new ArvadosEvent(id, "zzzzz-57u5n-" + String.format("%015d", id), objectUuid, "zzzzz-tpzed-000000000000000",
				"arvados#collection", "update", Instant.parse("2026-12-01T00:00:00Z"), Map.of(), json);
	}

}

package org.arvados.events.sample.live;

import java.time.Instant;
import java.util.Map;

import org.arvados.events.ArvadosEvent;
import org.arvados.events.sample.live.Messages.EventJson;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What a click on a row of the live page fetches: the event's JSON as received, and never more than a limit. */
class EventJsonTests {

	@Test
	void theJsonAsTheStarterReceivedIt() {
		String json = "{\"id\":7,\"event_type\":\"update\",\"properties\":{\"new_attributes\":{\"name\":\"<b>\"}}}";
		EventJson answer = EventJson.of(event(json));
		assertThat(answer.json()).isEqualTo(json);
		assertThat(answer.length()).isEqualTo(json.length());
		assertThat(answer.truncated()).isFalse();
		assertThat(answer.id()).isEqualTo(7);
	}

	@Test
	void aLargerEventIsCutAtTheLimitAndSaysSo() {
		String json = "{\"name\":\"" + "x".repeat(EventJson.LIMIT) + "\"}";
		EventJson answer = EventJson.of(event(json));
		assertThat(answer.json()).hasSize(EventJson.LIMIT).isEqualTo(json.substring(0, EventJson.LIMIT));
		assertThat(answer.length()).isEqualTo(json.length());
		assertThat(answer.truncated()).isTrue();
	}

	@Test
	void neverCutsACharacterInTwo() {
		// U+1F600 is two chars in Java; the limit falls between them.
		String json = "ab\uD83D\uDE00cd";
		EventJson answer = EventJson.of(event(json), 3);
		assertThat(answer.json()).isEqualTo("ab");
		assertThat(answer.truncated()).isTrue();
	}

	private static ArvadosEvent event(String json) {
		return new ArvadosEvent(7, "zzzzz-57u5n-000000000000007", "zzzzz-4zz18-000000000000001", "",
				"arvados#collection", "update", Instant.now(), Map.of(), json);
	}

}

package org.arvados.events.test.websocket;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Client frames decode as Go's {@code json.Unmarshal} decodes them into arvados-ws' struct.
 */
class ClientRequestTests {

	@Test
	void keysMatchCaseInsensitivelyAndUnknownKeysAreIgnored() {
		ClientRequest request = ClientRequest.parse("{\"Method\":\"subscribe\",\"FILTERS\":[],\"Last_Log_Id\":7,\"x\":1}");
		assertThat(request).isEqualTo(new ClientRequest("subscribe", List.of(), 7));
	}

	@Test
	void missingFiltersStayNilAndFiltersArePaddedToThree() {
		assertThat(ClientRequest.parse("{\"method\":\"subscribe\"}").filters()).isNull();
		assertThat(ClientRequest.parse("{\"method\":\"subscribe\",\"filters\":null}").filters()).isNull();
		assertThat(ClientRequest.parse("{\"filters\":[[\"a\"],[\"a\",\"b\",\"c\",\"d\"],null]}").filters())
			.containsExactly(Arrays.asList("a", null, null), List.of("a", "b", "c"), Arrays.asList(null, null, null));
	}

	@Test
	void numbersInFiltersCompareAsGoFloats() {
		assertThat(ClientRequest.parse("{\"filters\":[[\"id\",\">\",1]]}"))
			.isEqualTo(ClientRequest.parse("{\"filters\":[[\"id\",\">\",1.0]]}"));
	}

	@Test
	void messagesOverOneGoReadBufferArriveInPieces() {
		assertThat(ClientRequest.piecesReadByGo("x".repeat(4088))).isEqualTo(1);
		assertThat(ClientRequest.piecesReadByGo("x".repeat(4090))).isEqualTo(2);
		assertThat(ClientRequest.piecesReadByGo("{\"method\":\"subscribe\"}")).isEqualTo(1);
	}

	@Test
	void typeMismatchesAndBadJsonFail() {
		assertThat(ClientRequest.parse("nonsense")).isNull();
		assertThat(ClientRequest.parse("{\"method\":\"subscribe\"} trailing")).isNull();
		assertThat(ClientRequest.parse("[]")).isNull();
		assertThat(ClientRequest.parse("{\"method\":1}")).isNull();
		assertThat(ClientRequest.parse("{\"last_log_id\":\"12\"}")).isNull();
		assertThat(ClientRequest.parse("{\"last_log_id\":1.5}")).isNull();
		assertThat(ClientRequest.parse("{\"last_log_id\":99999999999999999999}")).isNull();
		assertThat(ClientRequest.parse("{\"filters\":{}}")).isNull();
		assertThat(ClientRequest.parse("{\"filters\":[\"event_type\"]}")).isNull();
		assertThat(ClientRequest.parse("null")).isEqualTo(new ClientRequest("", null, 0));
	}

}

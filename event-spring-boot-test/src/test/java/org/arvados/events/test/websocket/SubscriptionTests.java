package org.arvados.events.test.websocket;

import java.time.Instant;
import java.util.Map;

import org.arvados.events.test.LogEntry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * arvados-ws' filter subset: what is applied, and what is ignored and so widens a subscription.
 */
class SubscriptionTests {

	private static final Instant CREATED = Instant.parse("2024-05-01T12:00:00.123456Z");

	private final LogEntry update = new LogEntry(1, "zzzzz-57u5n-000000000000001", "zzzzz-4zz18-000000000000001",
			"zzzzz-tpzed-xurymjxw79nv3jz", "arvados#collection", "update", CREATED, CREATED, Map.of());

	@Test
	void eventTypeInIsApplied() {
		assertThat(matches("[[\"event_type\",\"in\",[\"update\",3]]]")).isTrue();
		assertThat(matches("[[\"event_type\",\"in\",[\"create\"]]]")).isFalse();
		assertThat(matches("[[\"event_type\",\"in\",[]]]")).isFalse();
	}

	@Test
	void createdAtComparisonsAreApplied() {
		assertThat(matches("[[\"created_at\",\">=\",\"2024-05-01T12:00:00.123456Z\"]]")).isTrue();
		assertThat(matches("[[\"created_at\",\">\",\"2024-05-01T12:00:00.123456Z\"]]")).isFalse();
		assertThat(matches("[[\"created_at\",\"<\",\"2024-05-01T14:00:00+02:00\"]]")).isFalse();
		assertThat(matches("[[\"created_at\",\"=\",\"2024-05-01T12:00:00.123456Z\"]]")).isTrue();
		assertThat(matches("[[\"created_at\",\"<=\",\"2024-05-01T12:00:00Z\"]]")).isFalse();
	}

	@Test
	void everythingElseIsIgnored() {
		assertThat(matches("[[\"object_uuid\",\"=\",\"zzzzz-4zz18-999999999999999\"]]")).isTrue();
		assertThat(matches("[[\"object_uuid\",\"is_a\",\"arvados#group\"]]")).isTrue();
		assertThat(matches("[[\"event_type\",\"=\",\"create\"]]")).isTrue();
		assertThat(matches("[[\"created_at\",\">\",\"2030-01-01\"]]")).isTrue();
		assertThat(matches("[[\"created_at\",\"!=\",\"2024-05-01T12:00:00.123456Z\"]]")).isTrue();
		assertThat(matches("[[\"id\",\">\",5]]")).isTrue();
	}

	private boolean matches(String filters) {
		ClientRequest request = ClientRequest.parse("{\"filters\":" + filters + "}");
		return new Subscription(request.filters()).matches(this.update);
	}

}

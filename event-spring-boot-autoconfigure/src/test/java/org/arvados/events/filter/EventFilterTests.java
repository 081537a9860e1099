package org.arvados.events.filter;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.arvados.events.ArvadosEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class EventFilterTests {

	private final ArvadosEvent event = new ArvadosEvent(123, "zzzzz-57u5n-000000000000001", "zzzzz-4zz18-0123456789abcde",
			"zzzzz-tpzed-xurymjxw79nv3jz", "arvados#collection", "update", Instant.parse("2026-11-23T10:00:00Z"),
			Map.of(), "{}");

	@Test
	void sendsListsForInAndScalarsOtherwise() {
		assertThat(new EventFilter("event_type", "in", List.of("create")).toArvados())
			.isEqualTo(List.of("event_type", "in", List.of("create")));
		assertThat(EventFilter.of("id", ">", "5").toArvados()).isEqualTo(List.of("id", ">", "5"));
	}

	@Test
	void appliesTheFiltersTheServerIgnores() {
		assertThat(EventFilter.of("object_uuid", "is_a", "arvados#collection").matches(this.event)).isTrue();
		assertThat(EventFilter.of("object_uuid", "is_a", "arvados#containerRequest").matches(this.event)).isFalse();
		assertThat(EventFilter.of("object_uuid", "=", "zzzzz-4zz18-0123456789abcde").matches(this.event)).isTrue();
		assertThat(EventFilter.of("object_uuid", "like", "zzzzz-4zz18-%").matches(this.event)).isTrue();
		assertThat(EventFilter.of("object_uuid", "ilike", "ZZZZZ-J7D0G-%").matches(this.event)).isFalse();
		assertThat(EventFilter.of("event_type", "=", "update").matches(this.event)).isTrue();
		assertThat(new EventFilter("event_type", "not in", List.of("update", "delete")).matches(this.event)).isFalse();
		assertThat(EventFilter.of("object_kind", "!=", "arvados#collection").matches(this.event)).isFalse();
	}

	@Test
	void comparesIdsAsNumbersAndTimesAsTimes() {
		assertThat(EventFilter.of("id", ">", "99").matches(this.event)).as("123 > 99, though '123' < '99'").isTrue();
		assertThat(EventFilter.of("id", "<=", "122").matches(this.event)).isFalse();
		assertThat(EventFilter.of("event_at", ">=", "2026-11-23T09:00:00+00:00").matches(this.event)).isTrue();
		assertThat(EventFilter.of("event_at", "<", "2026-11-23T10:00:00Z").matches(this.event)).isFalse();
	}

	@Test
	void leavesWhatTheEventDoesNotCarryToTheServer() {
		assertThat(EventFilter.of("created_at", ">=", "2099-01-01T00:00:00Z").matches(this.event)).isTrue();
	}

	@Test
	void rejectsUnknownOperatorsAndMissingOperands() {
		assertThatIllegalArgumentException().isThrownBy(() -> EventFilter.of("event_type", "~", "x"))
			.withMessageContaining("Unknown operator '~'");
		assertThatIllegalArgumentException().isThrownBy(() -> new EventFilter("event_type", "in", List.of()))
			.withMessageContaining("needs an operand");
		assertThatIllegalArgumentException().isThrownBy(() -> new EventFilter(" ", "=", List.of("x")))
			.withMessageContaining("needs an attribute");
	}

}

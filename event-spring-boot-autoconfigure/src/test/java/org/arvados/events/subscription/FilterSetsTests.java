package org.arvados.events.subscription;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.arvados.events.ArvadosEvent;
import org.arvados.events.filter.EventFilter;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The union of filter sets, as the event server applies several subscriptions on one connection, and the one
 * query the logs list can be asked with for them.
 */
class FilterSetsTests {

	private static final EventFilter COLLECTIONS = new EventFilter("object_uuid", "is_a", List.of("arvados#collection"));

	private static final EventFilter CREATES = new EventFilter("event_type", "in", List.of("create"));

	private static final EventFilter UPDATES = new EventFilter("event_type", "in", List.of("update"));

	private static ArvadosEvent event(String eventType, String kind) {
		return event(1, eventType, kind);
	}

	private static ArvadosEvent event(long id, String eventType, String kind) {
		return new ArvadosEvent(id, "zzzzz-57u5n-000000000000001", "zzzzz-4zz18-000000000000001",
				"zzzzz-tpzed-000000000000000", kind, eventType, Instant.EPOCH, Map.of(), "{}");
	}

	@Test
	void anEventIsWantedWhenAnySetPassesIt() {
		FilterSets sets = FilterSets.of(List.of(COLLECTIONS, CREATES)).with(List.of(UPDATES), 0);
		assertThat(sets.matches(event("create", "arvados#collection"))).isTrue();
		assertThat(sets.matches(event("create", "arvados#container"))).as("the first set needs both").isFalse();
		assertThat(sets.matches(event("update", "arvados#container"))).isTrue();
		assertThat(sets.matches(event("delete", "arvados#collection"))).isFalse();
	}

	@Test
	void aSetAddedAtRunTimePassesOnlyIdsAboveItsStart() {
		FilterSets sets = FilterSets.of(List.of(CREATES)).with(List.of(UPDATES), 10);
		assertThat(sets.matches(event(10, "update", "arvados#collection"))).isFalse();
		assertThat(sets.matches(event(11, "update", "arvados#collection"))).isTrue();
		assertThat(sets.matches(event(5, "create", "arvados#collection"))).as("the first set passes every id").isTrue();
	}

	@Test
	void theListIsAskedWithTheFiltersEverySetHas() {
		FilterSets one = FilterSets.of(List.of(COLLECTIONS, CREATES));
		assertThat(one.listFilters()).containsExactly(COLLECTIONS.toArvados(), CREATES.toArvados());
		FilterSets two = one.with(List.of(UPDATES, COLLECTIONS), 0);
		assertThat(two.listFilters()).containsExactly(COLLECTIONS.toArvados());
		assertThat(two.with(List.of(), 0).listFilters()).as("a set without filters wants everything").isEmpty();
	}

	@Test
	void aSetIsAddedOnceAndRemovedByItsFilters() {
		FilterSets sets = FilterSets.of(List.of(CREATES));
		assertThat(sets.with(List.of(CREATES), 0)).isSameAs(sets);
		FilterSets two = sets.with(List.of(UPDATES), 0);
		assertThat(two.sets()).containsExactly(List.of(CREATES), List.of(UPDATES));
		assertThat(two.without(List.of(CREATES), 5).sets()).containsExactly(List.of(UPDATES));
		assertThat(two.without(List.of(COLLECTIONS), 5)).isSameAs(two);
		assertThat(two.without(List.of(UPDATES), 5).matches(event("update", "arvados#collection"))).isFalse();
	}

	// subscribe(S), e delivered, unsubscribe(S), subscribe(S' that passes e too, from before e): not delivered again.
	@Test
	void whatARemovedSetPassedWhenItJudgedCountsAsDeliveredForALaterHistory() {
		List<EventFilter> later = List.of(UPDATES);
		FilterSets sets = FilterSets.of(List.of(CREATES)).with(List.of(UPDATES, COLLECTIONS), 10)
			.without(List.of(UPDATES, COLLECTIONS), 20)
			.with(later, 0);
		assertThat(sets.passedBefore(event(15, "update", "arvados#collection"), later)).isTrue();
		assertThat(sets.passedBefore(event(15, "update", "arvados#container"), later)).as("it never passed").isFalse();
		assertThat(sets.passedBefore(event(5, "update", "arvados#collection"), later)).as("before it came").isFalse();
		assertThat(sets.passedBefore(event(25, "update", "arvados#collection"), later)).as("after it went").isFalse();
		assertThat(sets.matches(event(25, "update", "arvados#collection"))).as("the later set").isTrue();
	}

	// S1's history had not reached an event when S1 was removed: S2's history, which deferred to it, delivers it.
	@Test
	void whatARemovedSetsHistoryHadNotDeliveredIsNotCountedAsDelivered() {
		List<EventFilter> first = List.of(UPDATES, COLLECTIONS);
		List<EventFilter> second = List.of(UPDATES);
		FilterSets sets = FilterSets.of(List.of(CREATES)).with(first, 0).with(second, 0);
		assertThat(sets.passedBefore(event(15, "update", "arvados#collection"), second)).isTrue();
		FilterSets removed = sets.without(first, 100).undelivered(first, 12, 50);
		assertThat(removed.passedBefore(event(15, "update", "arvados#collection"), second)).isFalse();
		assertThat(removed.passedBefore(event(11, "update", "arvados#collection"), second)).isTrue();
		assertThat(removed.passedBefore(event(60, "update", "arvados#collection"), second)).isTrue();
		assertThat(removed.sets()).containsExactly(List.of(CREATES), second);
	}

}

package org.arvados.events.sample.live;

import java.util.concurrent.atomic.AtomicLong;

import org.arvados.events.sample.live.EventRates.Window;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the live page's chart is drawn from: events per second by type over the last {@value EventRates#SECONDS}
 * seconds, whole seconds only, each sent once, with a bounded number of types whatever the cluster sends.
 */
class EventRatesTests {

	private final AtomicLong now = new AtomicLong(10_000);

	private final EventRates rates = new EventRates(this.now::get);

	@Test
	void countsTheEventsOfEachSecondByTypeOnceTheSecondIsOver() {
		add("create", 3);
		add("update", 1);
		assertThat(this.rates.since(0).types()).as("the second under way").isEmpty();

		this.now.set(10_001);
		add("create", 1);
		this.now.set(10_002);
		Window window = this.rates.since(0);

		assertThat(window.to()).isEqualTo(10_001);
		assertThat(window.from()).as("the whole window").isEqualTo(10_001 - EventRates.SECONDS + 1);
		assertThat(window.types()).containsOnlyKeys("create", "update");
		assertThat(at(window, "create", 10_000)).isEqualTo(3);
		assertThat(at(window, "create", 10_001)).isEqualTo(1);
		assertThat(at(window, "update", 10_000)).isEqualTo(1);
		assertThat(at(window, "update", 10_001)).isZero();
		assertThat(window.types().get("create")).hasSize(EventRates.SECONDS);
		assertThat(window.other()).isNull();
	}

	@Test
	void aPageIsSentOnlyTheSecondsAfterThoseItHas() {
		add("create", 1);
		this.now.set(10_001);
		Window first = this.rates.since(0);
		add("update", 2);

		Window none = this.rates.since(first.to());
		assertThat(none.to()).as("no second over since").isLessThan(none.from());
		assertThat(none.types()).isEmpty();

		this.now.set(10_003);
		Window next = this.rates.since(first.to());
		assertThat(next.from()).isEqualTo(10_001);
		assertThat(next.to()).isEqualTo(10_002);
		assertThat(next.types()).containsOnlyKeys("update");
		assertThat(next.types().get("update")).containsExactly(2, 0);
	}

	@Test
	void forgetsWhatIsOlderThanTheWindow() {
		add("create", 5);
		this.now.addAndGet(EventRates.SECONDS);
		add("create", 1);
		this.now.incrementAndGet();

		Window window = this.rates.since(0);
		assertThat(window.from()).isEqualTo(10_001);
		assertThat(window.types().get("create")).as("the same slot, a window later")
			.containsOnlyOnce(1)
			.doesNotContain(5, 6);
		assertThat(at(window, "create", 10_000 + EventRates.SECONDS)).isEqualTo(1);
	}

	@Test
	void tellsApartAtMostEightTypesAndCountsTheRestAsOther() {
		for (int i = 0; i < EventRates.MAX_TYPES + 3; i++) {
			add("type-" + i, 1);
		}
		this.now.incrementAndGet();
		Window window = this.rates.since(0);
		assertThat(window.types()).hasSize(EventRates.MAX_TYPES).containsKeys("type-0", "type-7");
		assertThat(window.other()).isNotNull();
		assertThat(window.other()[window.other().length - 1]).isEqualTo(3);

		// Once the first eight have been quiet for a whole window, others take their places.
		this.now.addAndGet(EventRates.SECONDS);
		add("later", 1);
		this.now.incrementAndGet();
		assertThat(this.rates.since(0).types()).containsOnlyKeys("later");
	}

	@Test
	void cutsAnOverlongType() {
		add("x".repeat(10_000), 1);
		this.now.incrementAndGet();
		assertThat(this.rates.since(0).types().keySet()).singleElement()
			.satisfies((type) -> assertThat(type).hasSize(EventRates.MAX_TYPE_LENGTH + 1).endsWith("…"));
	}

	private void add(String type, int times) {
		for (int i = 0; i < times; i++) {
			this.rates.add(type);
		}
	}

	private static int at(Window window, String type, long second) {
		return window.types().get(type)[(int) (second - window.from())];
	}

}

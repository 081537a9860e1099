package org.arvados.events.subscription;

import java.util.Map;

import org.arvados.events.ArvadosEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LiveBufferTests {

	@Test
	void holdsEventsUntilHandedOverInArrivalOrderThenGoesLive() {
		LiveBuffer buffer = new LiveBuffer(10, 1000);
		assertThat(buffer.hold(event(5))).isTrue();
		assertThat(buffer.hold(event(3))).isTrue();
		assertThat(buffer.next().id()).isEqualTo(5);
		assertThat(buffer.hold(event(6))).isTrue();
		assertThat(buffer.next().id()).isEqualTo(3);
		assertThat(buffer.next().id()).isEqualTo(6);
		assertThat(buffer.next()).isNull();
		assertThat(buffer.isLive()).isTrue();
		assertThat(buffer.hold(event(7))).as("live: the caller delivers").isFalse();
	}

	@Test
	void whenFullLetsGoOfEverythingUntilTheNextPassAndSaysSo() {
		LiveBuffer buffer = new LiveBuffer(2, 1000);
		buffer.hold(event(1));
		buffer.hold(event(2));
		assertThat(buffer.takeOverflow()).isFalse();
		buffer.hold(event(3));
		buffer.hold(event(4));
		assertThat(buffer.takeOverflow()).isTrue();
		assertThat(buffer.takeOverflow()).isFalse();
		buffer.hold(event(5));
		assertThat(buffer.next().id()).isEqualTo(5);
		assertThat(buffer.next()).isNull();
	}

	@Test
	void aFewHugeEventsFillItToo() {
		LiveBuffer buffer = new LiveBuffer(10, 100);
		buffer.hold(event(1, 60));
		assertThat(buffer.takeOverflow()).isFalse();
		buffer.hold(event(2, 60));
		assertThat(buffer.takeOverflow()).isTrue();
		buffer.hold(event(3, 60));
		assertThat(buffer.next().id()).isEqualTo(3);
		buffer.hold(event(4, 90));
		assertThat(buffer.takeOverflow()).as("room again once handed over").isFalse();
	}

	@Test
	void eventsLetGoWhileBeingHandedOverKeepItFromGoingLive() {
		LiveBuffer buffer = new LiveBuffer(2, 1000);
		buffer.hold(event(1));
		buffer.hold(event(2));
		assertThat(buffer.next().id()).isEqualTo(1);
		// The reader keeps holding while the handlers take what was held: full, all let go.
		buffer.hold(event(3));
		buffer.hold(event(4));
		assertThat(buffer.next()).isNull();
		assertThat(buffer.isLive()).as("what was let go is in the list, not yet read").isFalse();
		assertThat(buffer.hold(event(5))).as("held back, and let go too, until the next pass").isTrue();
		assertThat(buffer.takeOverflow()).isTrue();
		buffer.hold(event(6));
		assertThat(buffer.next().id()).isEqualTo(6);
		assertThat(buffer.next()).isNull();
		assertThat(buffer.isLive()).isTrue();
	}

	private static ArvadosEvent event(long id) {
		return event(id, 2);
	}

	private static ArvadosEvent event(long id, int jsonLength) {
		return new ArvadosEvent(id, "", "", "", "", "update", null, Map.of(), "x".repeat(jsonLength));
	}

}

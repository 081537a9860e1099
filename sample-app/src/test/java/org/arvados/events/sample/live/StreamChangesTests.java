package org.arvados.events.sample.live;

import java.util.stream.LongStream;

import org.arvados.events.lifecycle.DisconnectReason;
import org.arvados.events.lifecycle.StreamConnectedEvent;
import org.arvados.events.lifecycle.StreamDisconnectedEvent;
import org.arvados.events.lifecycle.StreamPhase;
import org.arvados.events.lifecycle.StreamPhaseChangedEvent;
import org.arvados.events.lifecycle.TransportMode;
import org.arvados.events.sample.live.StreamChanges.Change;
import org.arvados.events.sample.live.StreamChanges.History;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The phase changes a page that connects late is sent first: every one since the start, in order, as long as they
 * are not more than the last {@value StreamChanges#KEPT}.
 */
class StreamChangesTests {

	private final StreamChanges changes = new StreamChanges();

	@Test
	void keepsEveryChangeFromTheFirstInTheOrderTheyHappened() {
		change(StreamPhase.STOPPED, StreamPhase.VERIFYING);
		change(StreamPhase.VERIFYING, StreamPhase.CONNECTING);
		change(StreamPhase.CONNECTING, StreamPhase.SUBSCRIBING);
		change(StreamPhase.SUBSCRIBING, StreamPhase.CATCHING_UP);
		this.changes.onPhaseChanged(
				new StreamConnectedEvent(this, StreamPhase.CATCHING_UP, StreamPhase.LIVE, TransportMode.WEBSOCKET));
		this.changes.onPhaseChanged(new StreamDisconnectedEvent(this, StreamPhase.LIVE, StreamPhase.BACKING_OFF,
				TransportMode.WEBSOCKET, DisconnectReason.CLOSED, "closed with 1006"));

		History history = this.changes.history();
		assertThat(history.changes()).extracting(Change::phase)
			.containsExactly(StreamPhase.VERIFYING, StreamPhase.CONNECTING, StreamPhase.SUBSCRIBING,
					StreamPhase.CATCHING_UP, StreamPhase.LIVE, StreamPhase.BACKING_OFF);
		assertThat(history.changes()).extracting(Change::number).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
		assertThat(history.changes()).extracting(Change::at).isSorted();
		assertThat(history.forgotten()).isZero();
		assertThat(history.last()).isEqualTo(6);
		assertThat(history.changes().get(5)).satisfies((failure) -> {
			assertThat(failure.reason()).isEqualTo(DisconnectReason.CLOSED);
			assertThat(failure.cause()).isEqualTo("closed with 1006");
		});
	}

	@Test
	void keepsTheLastHundredAndCountsThoseLetGo() {
		for (int i = 0; i < 75; i++) {
			change(StreamPhase.LIVE, StreamPhase.BACKING_OFF);
			change(StreamPhase.BACKING_OFF, StreamPhase.LIVE);
		}

		History history = this.changes.history();
		assertThat(history.changes()).hasSize(StreamChanges.KEPT);
		assertThat(history.changes()).extracting(Change::number)
			.containsExactlyElementsOf(LongStream.rangeClosed(51, 150).boxed().toList());
		assertThat(history.forgotten()).isEqualTo(50);
		assertThat(history.last()).isEqualTo(150);
		assertThat(history.changes().get(history.changes().size() - 1).phase()).isEqualTo(StreamPhase.LIVE);
	}

	@Test
	void aPageThatHasTheHistoryReadsOnlyTheChangesAfterIt() {
		change(StreamPhase.STOPPED, StreamPhase.VERIFYING);
		change(StreamPhase.VERIFYING, StreamPhase.CONNECTING);
		long seen = this.changes.history().last();
		change(StreamPhase.CONNECTING, StreamPhase.SUBSCRIBING);

		assertThat(this.changes.since(seen)).extracting(Change::phase).containsExactly(StreamPhase.SUBSCRIBING);
	}

	@Test
	void beforeAnyChangeTheHistoryIsEmpty() {
		History history = this.changes.history();
		assertThat(history.changes()).isEmpty();
		assertThat(history.forgotten()).isZero();
		assertThat(history.last()).isZero();
	}

	private void change(StreamPhase from, StreamPhase to) {
		this.changes.onPhaseChanged(new StreamPhaseChangedEvent(this, from, to, TransportMode.WEBSOCKET));
	}

}

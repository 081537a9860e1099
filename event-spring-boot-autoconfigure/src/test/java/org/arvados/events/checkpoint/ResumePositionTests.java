package org.arvados.events.checkpoint;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.function.LongSupplier;

import org.arvados.events.checkpoint.ResumePosition.Acceptance;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ResumePositionTests {

	private final ManualTicker ticker = new ManualTicker();

	private final ResumePosition position = new ResumePosition(Duration.ofSeconds(60), 100, this.ticker);

	@Test
	void knowsNothingUntilTheFirstEvent() {
		assertThat(this.position.isStarted()).isFalse();
		assertThat(this.position.lowWaterMark()).isZero();
		assertThat(this.position.accept(500)).isEqualTo(Acceptance.NEW);
		assertThat(this.position.isStarted()).isTrue();
		assertThat(this.position.lowWaterMark()).isEqualTo(499);
	}

	@Test
	void anIdInFlightHoldsTheLowWaterMarkUntilHandled() {
		this.position.startAfter(10);
		this.position.accept(11);
		this.position.accept(12);
		assertThat(this.position.lowWaterMark()).isEqualTo(10);
		this.position.handled(12);
		assertThat(this.position.lowWaterMark()).isEqualTo(10);
		this.position.handled(11);
		assertThat(this.position.lowWaterMark()).isEqualTo(12);
	}

	@Test
	void tellsTheOpenGapsLowestFirstAsTheCatchUpAsksForThem() {
		this.position.startAfter(10);
		handle(12);
		handle(15);
		handle(20);
		this.position.accept(13);
		assertThat(this.position.openGapRanges(10)).containsExactly(new ResumePosition.Range(11, 11),
				new ResumePosition.Range(14, 14), new ResumePosition.Range(16, 19));
		assertThat(this.position.openGapRanges(2)).hasSize(2).first().isEqualTo(new ResumePosition.Range(11, 11));
	}

	@Test
	void aLateCommitFillsItsGapOnceAndIsThenADuplicate() {
		this.position.startAfter(99);
		assertThat(this.position.accept(101)).isEqualTo(Acceptance.NEW);
		this.position.handled(101);
		assertThat(this.position.lowWaterMark()).as("100 is still missing").isEqualTo(99);
		assertThat(this.position.accept(100)).isEqualTo(Acceptance.LATE);
		this.position.handled(100);
		assertThat(this.position.lowWaterMark()).isEqualTo(101);
		assertThat(this.position.accept(100)).isEqualTo(Acceptance.DUPLICATE);
		assertThat(this.position.accept(101)).isEqualTo(Acceptance.DUPLICATE);
		assertThat(this.position.openGaps()).isZero();
	}

	@Test
	void fillingTheMiddleOfAGapSplitsIt() {
		this.position.startAfter(0);
		handle(10);
		assertThat(this.position.openGaps()).isEqualTo(1);
		handle(5);
		assertThat(this.position.openGaps()).isEqualTo(2);
		assertThat(this.position.lowWaterMark()).isEqualTo(0);
		for (long id = 1; id <= 4; id++) {
			handle(id);
		}
		assertThat(this.position.lowWaterMark()).isEqualTo(5);
		assertThat(this.position.accept(3)).isEqualTo(Acceptance.DUPLICATE);
		assertThat(this.position.accept(7)).isEqualTo(Acceptance.LATE);
	}

	@Test
	void idsAtOrBelowTheStartAreDuplicates() {
		this.position.startAfter(50);
		assertThat(this.position.accept(50)).isEqualTo(Acceptance.DUPLICATE);
		assertThat(this.position.accept(3)).isEqualTo(Acceptance.DUPLICATE);
	}

	@Test
	void aGapClosesByItsOwnAgeNotByANeighboursAge() {
		this.position.startAfter(0);
		handle(2);
		this.ticker.advance(Duration.ofSeconds(50));
		handle(4);
		this.ticker.advance(Duration.ofSeconds(20));
		assertThat(giveUpExpired(this.position)).as("only the gap at 1 is 60 s old").isEqualTo(1);
		assertThat(this.position.lowWaterMark()).isEqualTo(2);
		assertThat(this.position.accept(3)).as("the gap at 3 is still open").isEqualTo(Acceptance.LATE);
		assertThat(this.position.accept(1)).as("a commit after its gap closed is given up").isEqualTo(Acceptance.DUPLICATE);
		assertThat(this.position.closedGaps()).isEqualTo(1);
	}

	@Test
	void gapAgesAreMeasuredOnTheMonotonicTickerEvenWhereItWraps() {
		this.ticker.nanos = Long.MAX_VALUE - Duration.ofSeconds(30).toNanos();
		this.position.startAfter(0);
		handle(2);
		this.ticker.advance(Duration.ofSeconds(59));
		assertThat(giveUpExpired(this.position)).isZero();
		this.ticker.advance(Duration.ofSeconds(1));
		assertThat(giveUpExpired(this.position)).isEqualTo(1);
	}

	@Test
	void theHalvesOfASplitGapKeepItsAge() {
		this.position.startAfter(0);
		handle(10);
		this.ticker.advance(Duration.ofSeconds(59));
		handle(5);
		this.ticker.advance(Duration.ofSeconds(1));
		assertThat(giveUpExpired(this.position)).isEqualTo(2);
		assertThat(this.position.lowWaterMark()).isEqualTo(10);
	}

	@Test
	void tooManyGapsCloseTheOldestFirst() {
		ResumePosition small = new ResumePosition(Duration.ofHours(1), 3, this.ticker);
		small.startAfter(0);
		for (long id = 2; id <= 10; id += 2) {
			small.accept(id);
			small.handled(id);
		}
		assertThat(small.openGaps()).isEqualTo(3);
		assertThat(small.closedGaps()).isEqualTo(2);
		assertThat(small.lowWaterMark()).isEqualTo(4);
		assertThat(small.accept(5)).isEqualTo(Acceptance.LATE);
		assertThat(small.accept(1)).isEqualTo(Acceptance.DUPLICATE);
	}

	@Test
	void aReleasedIdIsAskedForAgain() {
		this.position.startAfter(0);
		this.position.accept(1);
		this.position.accept(2);
		this.position.release(2);
		this.position.handled(1);
		assertThat(this.position.lowWaterMark()).isEqualTo(1);
		assertThat(this.position.accept(2)).isEqualTo(Acceptance.LATE);
	}

	@Test
	void manyIdsInAnyOrderAreEachAcceptedOnce() {
		this.position.startAfter(0);
		long[] arrival = { 3, 1, 2, 7, 5, 3, 4, 6, 1, 9, 8, 10, 7 };
		int accepted = 0;
		for (long id : arrival) {
			if (this.position.accept(id) != Acceptance.DUPLICATE) {
				accepted++;
				this.position.handled(id);
			}
		}
		assertThat(accepted).isEqualTo(10);
		assertThat(this.position.lowWaterMark()).isEqualTo(10);
		assertThat(this.position.openGaps()).isZero();
	}

	private void handle(long id) {
		this.position.accept(id);
		this.position.handled(id);
	}

	static final class ManualTicker implements LongSupplier {

		long nanos = 123_456_789L;

		void advance(Duration duration) {
			this.nanos += duration.toNanos();
		}

		@Override
		public long getAsLong() {
			return this.nanos;
		}

	}

	static final class MutableClock extends Clock {

		private Instant now = Instant.parse("2026-11-23T00:00:00Z");

		void advance(Duration duration) {
			this.now = this.now.plus(duration);
		}

		@Override
		public Instant instant() {
			return this.now;
		}

		@Override
		public java.time.ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

	}

	@Test
	void aGapOutsideTheRangeAskedForStaysOpenHoweverOld() {
		this.position.startAfter(0);
		handle(2);
		handle(4);
		this.ticker.advance(Duration.ofHours(1));
		assertThat(this.position.giveUpGaps(3, 3, this.position.nanoTime())).isEqualTo(1);
		assertThat(this.position.openGapRanges(10)).containsExactly(new ResumePosition.Range(1, 1));
	}

	@Test
	void aGapAskedForBeforeItExpiredStaysOpen() {
		this.position.startAfter(0);
		handle(2);
		this.ticker.advance(Duration.ofSeconds(30));
		long askedAt = this.position.nanoTime();
		this.ticker.advance(Duration.ofSeconds(60));
		assertThat(this.position.giveUpGaps(1, 1, askedAt)).as("asked at 30 s: the id may still commit").isZero();
		assertThat(this.position.giveUpGaps(1, 1, this.position.nanoTime())).isEqualTo(1);
	}

	@Test
	void aSnapshotHoldsTheGapsAndTheIdsStillInTheHandlersAndRestoresToTheSamePosition() {
		this.position.startAfter(0);
		handle(2);
		this.position.accept(3);
		handle(5);
		handle(9);
		assertThat(this.position.snapshot())
			.isEqualTo(new Checkpoint(9, List.of(new ResumePosition.Range(1, 1), new ResumePosition.Range(3, 4),
					new ResumePosition.Range(6, 8))));
		ResumePosition restored = new ResumePosition(Duration.ofSeconds(60), 100, this.ticker);
		restored.restore(Checkpoint.parse(this.position.snapshot().toJson()));
		assertThat(restored.lowWaterMark()).isZero();
		assertThat(restored.accept(2)).as("handled before the save").isEqualTo(Acceptance.DUPLICATE);
		assertThat(restored.accept(3)).as("in the handlers at the save").isEqualTo(Acceptance.LATE);
		assertThat(restored.accept(7)).isEqualTo(Acceptance.LATE);
		assertThat(restored.accept(10)).isEqualTo(Acceptance.NEW);
	}

	@Test
	void aSnapshotBeyondMaxGapsLowersTheHighestRatherThanSkipAnything() {
		ResumePosition small = new ResumePosition(Duration.ofSeconds(60), 2, this.ticker);
		small.startAfter(0);
		for (long id = 1; id <= 5; id++) {
			small.accept(id);
			if (id % 2 == 0) {
				small.handled(id);
			}
		}
		// 1, 3 and 5 are in the handlers: three ranges, one more than max-gaps; 5 is left for the restart to repeat.
		assertThat(small.snapshot()).isEqualTo(new Checkpoint(4,
				List.of(new ResumePosition.Range(1, 1), new ResumePosition.Range(3, 3))));
	}

	// As the catch-up does after the list answered for every id.
	private static int giveUpExpired(ResumePosition position) {
		return position.giveUpGaps(0, Long.MAX_VALUE, position.nanoTime());
	}

	@Test
	void aCheckpointReadsBackFromItsCompactFormWhateverItsGaps() {
		long seed = new java.util.Random().nextLong();
		java.util.Random random = new java.util.Random(seed);
		for (int round = 0; round < 200; round++) {
			java.util.List<ResumePosition.Range> gaps = new java.util.ArrayList<>();
			long next = random.nextInt(1_000_000) + 1;
			for (int i = random.nextInt(50); i > 0; i--) {
				long to = next + random.nextInt(5);
				gaps.add(new ResumePosition.Range(next, to));
				next = to + 2 + random.nextInt(1000);
			}
			Checkpoint checkpoint = new Checkpoint(next, gaps);
			assertThat(Checkpoint.parse(checkpoint.toCompactJson())).as("seed %d", seed).isEqualTo(checkpoint);
		}
		assertThat(Checkpoint.parse("{\"v\":2,\"highest\":1207,\"g\":\"x2.0,b.2\"}")).isEqualTo(new Checkpoint(1207,
				java.util.List.of(new ResumePosition.Range(1190, 1190), new ResumePosition.Range(1201, 1203))));
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
			.isThrownBy(() -> Checkpoint.parse("{\"v\":2,\"highest\":1207,\"g\":\"x2\"}"))
			.withMessageContaining("<distance>.<length> in base 36");
	}

}

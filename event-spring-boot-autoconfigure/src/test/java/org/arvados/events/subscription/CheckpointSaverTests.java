package org.arvados.events.subscription;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.arvados.events.checkpoint.Checkpoint;
import org.arvados.events.checkpoint.CheckpointConflictException;
import org.arvados.events.checkpoint.EventCheckpointStore;
import org.arvados.events.checkpoint.ResumePosition;
import org.arvados.events.transport.SecretRedactor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The saver tells of a refused save without holding its own lock: what it tells (the subscription's deposition)
 * waits for the lifecycle's monitor, whose holder (a revoke, a stop) may be flushing the saver meanwhile. Found by
 * {@code ChaosTests}: a leader woken from SIGSTOP after another took over hung for good, the lead never taken again.
 */
class CheckpointSaverTests {

	@Test
	void aRefusedSaveIsToldWithoutHoldingTheSaverSoAFlushMeanwhileGoesThrough() throws Exception {
		ResumePosition position = new ResumePosition(Duration.ofMinutes(1), 100);
		position.startAfter(10);
		position.accept(11);
		position.handled(11);
		EventCheckpointStore refusing = new EventCheckpointStore() {

			@Override
			public Optional<Checkpoint> load() {
				return Optional.empty();
			}

			@Override
			public void save(Checkpoint checkpoint) {
				throw new CheckpointConflictException("Another instance took the lead");
			}

		};
		AtomicReference<CheckpointSaver> saver = new AtomicReference<>();
		AtomicReference<Boolean> flushedMeanwhile = new AtomicReference<>();
		// As the subscription's deposition does: wait for what another thread, in the middle of a stop, holds.
		saver.set(new CheckpointSaver(position, refusing, Duration.ofHours(1), new SecretRedactor("token"),
				(message) -> {
					CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> saver.get().flush(Duration.ofSeconds(5)));
					try {
						stopping.get(5, TimeUnit.SECONDS);
						flushedMeanwhile.set(true);
					}
					catch (Exception ex) {
						flushedMeanwhile.set(false);
					}
				}));
		saver.get().changed();
		saver.get().saveNow();
		assertThat(flushedMeanwhile.get()).as("a flush while the refusal is told").isTrue();
	}

	// Found by ChaosTests: a leader deposed by a refused save and granted the lead again waited for good, its gate
	// seeing the refused save's change as still waiting for a save, and no event handled to make a new one.
	@Test
	void aLoadLeavesNothingWaitingForASave() {
		ResumePosition position = new ResumePosition(Duration.ofMinutes(1), 100);
		position.startAfter(10);
		java.util.concurrent.atomic.AtomicBoolean refuse = new java.util.concurrent.atomic.AtomicBoolean(true);
		EventCheckpointStore store = new EventCheckpointStore() {

			@Override
			public Optional<Checkpoint> load() {
				return Optional.of(Checkpoint.after(10));
			}

			@Override
			public void save(Checkpoint checkpoint) {
				if (refuse.get()) {
					throw new CheckpointConflictException("Another instance took the lead");
				}
			}

		};
		CheckpointSaver saver = new CheckpointSaver(position, store, Duration.ofHours(1), new SecretRedactor("token"),
				(message) -> {
				});
		position.accept(11);
		position.handled(11);
		saver.changed();
		saver.saveNow();
		refuse.set(false);
		saver.load();
		assertThat(saver.unsavedNanos()).isZero();
	}

}

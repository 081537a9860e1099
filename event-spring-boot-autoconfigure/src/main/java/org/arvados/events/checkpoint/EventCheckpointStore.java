package org.arvados.events.checkpoint;

import java.util.Optional;

/**
 * Keeps the resume position between runs: the whole {@link Checkpoint} (the highest id handled and the gaps below
 * it), so a restart repeats nothing handled before the last save. Saved after the handlers return, coalesced (one
 * save at a time, at least every {@code checkpoint.interval}) and once more after the drain on stop: a restart
 * after a crash repeats at most what was handled since the last save (at-least-once), never resumes late.
 */
public interface EventCheckpointStore {

	/**
	 * The saved position.
	 * @return the checkpoint, or empty when none was saved
	 * @throws CheckpointUnreadableException if a checkpoint is saved but cannot be read: never start over silently
	 * @throws RuntimeException if the store cannot be asked now (it is asked again on the reconnect back-off)
	 */
	Optional<Checkpoint> load();

	/**
	 * Save the position. Called from one thread at a time.
	 * @param checkpoint the position
	 * @throws CheckpointConflictException if the store holds a position this instance did not write since it
	 * last loaded or saved (another instance took over): it must stop following the stream
	 */
	void save(Checkpoint checkpoint);

	/**
	 * Whether the position outlives the application: then {@code start-from} defaults to {@code checkpoint}.
	 */
	default boolean isDurable() {
		return true;
	}

}

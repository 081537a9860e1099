package org.arvados.events.checkpoint;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The default store: keeps the position for the life of the application only, so a restart
 * starts as {@code start-from} says.
 */
public class InMemoryEventCheckpointStore implements EventCheckpointStore {

	private final AtomicReference<Checkpoint> position = new AtomicReference<>();

	@Override
	public Optional<Checkpoint> load() {
		return Optional.ofNullable(this.position.get());
	}

	@Override
	public void save(Checkpoint checkpoint) {
		this.position.set(checkpoint);
	}

	@Override
	public boolean isDurable() {
		return false;
	}

}

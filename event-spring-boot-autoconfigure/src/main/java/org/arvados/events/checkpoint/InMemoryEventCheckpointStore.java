package org.arvados.events.checkpoint;

import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The default store: keeps the position for the life of the application only, so a restart
 * starts as {@code start-from} says.
 */
public class InMemoryEventCheckpointStore implements EventCheckpointStore {

	private static final long NONE = -1;

	private final AtomicLong position = new AtomicLong(NONE);

	@Override
	public OptionalLong load() {
		long value = this.position.get();
		return (value == NONE) ? OptionalLong.empty() : OptionalLong.of(value);
	}

	@Override
	public void save(long lowWaterMark) {
		this.position.set(lowWaterMark);
	}

}

package org.arvados.events.checkpoint;

import java.util.OptionalLong;

/**
 * Keeps the resume position (the low-water mark: every id up to it is handled) between runs.
 * Saved after the handlers of an event have returned, so a restart resumes at most a little early
 * (at-least-once), never late.
 */
public interface EventCheckpointStore {

	/**
	 * The saved position.
	 * @return the low-water mark, or empty when none was saved
	 */
	OptionalLong load();

	/**
	 * Save the position.
	 * @param lowWaterMark the id up to which every event is handled
	 */
	void save(long lowWaterMark);

}

package org.arvados.events.checkpoint;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.integration.metadata.ConcurrentMetadataStore;

/**
 * Keeps the position under one key of a Spring Integration {@link ConcurrentMetadataStore}: a
 * {@code JdbcMetadataStore}, or Redis, ZooKeeper… Every save is a compare-and-set against the value this instance
 * last read or wrote, so an instance that lost the lead (paused, cut off) cannot overwrite the newer position of the
 * one that took over: its save fails with {@link CheckpointConflictException}.
 */
public class MetadataStoreEventCheckpointStore implements EventCheckpointStore {

	private static final Log logger = LogFactory.getLog(MetadataStoreEventCheckpointStore.class);

	// Writes whose outcome is unknown (the store failed mid-call): if one landed, the store holds our own value.
	private static final int MAX_UNCONFIRMED = 32;

	private final ConcurrentMetadataStore store;

	private final String key;

	private final String storeName;

	private final int maxValueLength;

	private boolean fitting;

	private final Set<String> unconfirmed = new LinkedHashSet<>();

	private @Nullable String expected;

	private boolean known;

	/**
	 * Keep the position under a key.
	 * @param store the store
	 * @param key the key; instances that share it share the position
	 */
	public MetadataStoreEventCheckpointStore(ConcurrentMetadataStore store, String key) {
		this(store, key, store.getClass().getSimpleName(), Integer.MAX_VALUE);
	}

	/**
	 * Keep the position under a key.
	 * @param store the store
	 * @param key the key; instances that share it share the position
	 * @param storeName how messages name the store, e.g. {@code JdbcMetadataStore (table INT_METADATA_STORE)}
	 * @param maxValueLength the longest value the store keeps, e.g. 4000 characters in Spring Integration's
	 * {@code INT_METADATA_STORE}: a position with more gaps than fit is saved as {@link #fit} says
	 */
	public MetadataStoreEventCheckpointStore(ConcurrentMetadataStore store, String key, String storeName,
			int maxValueLength) {
		this.store = store;
		this.key = key;
		this.storeName = storeName;
		this.maxValueLength = maxValueLength;
	}

	/**
	 * The key of the position.
	 * @return the key
	 */
	public String getKey() {
		return this.key;
	}

	/**
	 * {@inheritDoc} The value read is what the next save expects to replace.
	 * @throws CheckpointStoreUnavailableException if the store cannot be read now
	 * @throws IllegalStateException if the value under the key is no checkpoint
	 */
	@Override
	public synchronized Optional<Checkpoint> load() {
		String value;
		try {
			value = this.store.get(this.key);
		}
		catch (RuntimeException ex) {
			throw new CheckpointStoreUnavailableException("Cannot read the Arvados events checkpoint under key '"
					+ this.key + "' in " + this.storeName + ": " + describe(ex), ex);
		}
		this.expected = value;
		this.known = true;
		this.unconfirmed.clear();
		if (value == null) {
			return Optional.empty();
		}
		try {
			return Optional.of(Checkpoint.parse(value));
		}
		catch (IllegalArgumentException ex) {
			throw new CheckpointUnreadableException("The Arvados events checkpoint under key '" + this.key + "' in "
					+ this.storeName + " is unusable: " + ex.getMessage() + ". Not starting rather than resuming at the "
					+ "wrong place: remove it (for the JDBC store, DELETE FROM INT_METADATA_STORE WHERE METADATA_KEY = '"
					+ this.key + "') to start from arvados.events.start-from.");
		}
	}

	/**
	 * {@inheritDoc} Inserts the position when the key has none, else replaces the value this instance last read or
	 * wrote. Before the first load or save, the value stored now is the one replaced: an instance told where to
	 * start takes the key over.
	 * @throws CheckpointConflictException if another instance saved under the key meanwhile; its position stays
	 * @throws CheckpointStoreUnavailableException if the store cannot be written now; the next save tries again
	 */
	@Override
	public synchronized void save(Checkpoint checkpoint) {
		String json = fitted(checkpoint).toJson();
		@Nullable String current;
		try {
			if (!this.known) {
				this.expected = this.store.get(this.key);
				this.known = true;
			}
			current = write(json);
			if (current != null && this.unconfirmed.contains(current)) {
				this.expected = current;
				current = write(json);
			}
		}
		catch (CheckpointConflictException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			remember(json);
			throw new CheckpointStoreUnavailableException("Cannot save the Arvados events checkpoint under key '"
					+ this.key + "' in " + this.storeName + ": " + describe(ex), ex);
		}
		if (current != null) {
			throw new CheckpointConflictException("Another instance saved a newer Arvados events position under key '"
					+ this.key + "' in " + this.storeName + "; this one no longer saves");
		}
		this.expected = json;
		this.unconfirmed.clear();
	}

	private Checkpoint fitted(Checkpoint checkpoint) {
		Checkpoint fitted = fit(checkpoint, this.maxValueLength);
		if (fitted != checkpoint && !this.fitting) {
			logger.info("The Arvados events position has " + checkpoint.gaps().size() + " open gaps, more than the "
					+ this.maxValueLength + " characters of " + this.storeName + " hold: saved up to id "
					+ fitted.highestId() + " instead of " + checkpoint.highestId() + ", so a restart from it repeats "
					+ "what was handled above");
		}
		this.fitting = (fitted != checkpoint);
		return fitted;
	}

	/**
	 * The checkpoint, or as much of it as fits a length: as {@link ResumePosition#snapshot()} does beyond
	 * {@code gaps.max}, the highest id is lowered below the first gap left out, so a restart from it repeats handled
	 * events rather than skip unhandled ones.
	 * @param checkpoint the position
	 * @param maxLength the longest JSON text allowed
	 * @return the checkpoint itself when it fits, else the longest prefix of its gaps that does
	 */
	static Checkpoint fit(Checkpoint checkpoint, int maxLength) {
		List<ResumePosition.Range> gaps = checkpoint.gaps();
		if (gaps.isEmpty() || checkpoint.toJson().length() <= maxLength) {
			return checkpoint;
		}
		// With no gap kept it always fits; with all of them it does not.
		int fits = 0;
		int fitsNot = gaps.size();
		while (fitsNot - fits > 1) {
			int middle = (fits + fitsNot) >>> 1;
			if (cut(gaps, middle).toJson().length() <= maxLength) {
				fits = middle;
			}
			else {
				fitsNot = middle;
			}
		}
		return cut(gaps, fits);
	}

	private static Checkpoint cut(List<ResumePosition.Range> gaps, int kept) {
		return new Checkpoint(gaps.get(kept).from() - 1, gaps.subList(0, kept));
	}

	// Null when written; else what the store holds instead of the expected value.
	private @Nullable String write(String json) {
		if (this.expected == null) {
			return this.store.putIfAbsent(this.key, json);
		}
		if (this.store.replace(this.key, this.expected, json)) {
			return null;
		}
		String current = this.store.get(this.key);
		if (current == null) {
			throw new CheckpointConflictException("The Arvados events position under key '" + this.key + "' in "
					+ this.storeName + " was removed while this instance followed the stream; this one no longer saves");
		}
		return current;
	}

	private void remember(String json) {
		if (this.unconfirmed.size() == MAX_UNCONFIRMED) {
			this.unconfirmed.remove(this.unconfirmed.iterator().next());
		}
		this.unconfirmed.add(json);
	}

	// The store's message and the causes underneath (the driver's "Connection to host:port refused"); the drivers'
	// messages name no password, and no Arvados token ever reaches the store.
	private static String describe(Throwable ex) {
		StringBuilder text = new StringBuilder();
		Throwable cause = ex;
		for (int depth = 0; cause != null && depth < 5; depth++, cause = cause.getCause()) {
			text.append((depth > 0) ? "; " : "")
				.append(cause.getClass().getSimpleName())
				.append(": ")
				.append(cause.getMessage());
			if (cause.getCause() == cause) {
				break;
			}
		}
		return text.toString();
	}

	@Override
	public String toString() {
		return "MetadataStoreEventCheckpointStore[" + this.storeName + ", key=" + this.key + "]";
	}

}

package org.arvados.events.checkpoint;

import java.util.List;
import java.util.Optional;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.integration.metadata.ConcurrentMetadataStore;

/**
 * Keeps the position under one key of a Spring Integration {@link ConcurrentMetadataStore}: a
 * {@code JdbcMetadataStore}, or Redis, ZooKeeper… fenced by a <em>lead term</em> kept with it, a number that only
 * grows (Kafka's producer epochs, ZooKeeper's epochs, the fencing tokens of Kleppmann's "How to do distributed
 * locking"). Every {@link #load()} claims the next term by compare-and-set before it returns the position; every
 * save is a compare-and-set that succeeds only while the stored term is this instance's. So an instance that lost
 * the lead (paused past its lock, cut off) and saves late is refused with {@link CheckpointConflictException} and
 * never moves the position; the holder of the newest term is never refused because of an older one.
 * <p>
 * Stored as the checkpoint's JSON with the term in it, e.g. {@code {"v":1,"term":7,"highest":1207,"gaps":[]}}; a
 * key claimed before any position was saved holds the term alone, {@code {"v":1,"term":1}}.
 */
public class MetadataStoreEventCheckpointStore implements EventCheckpointStore {

	private static final Log logger = LogFactory.getLog(MetadataStoreEventCheckpointStore.class);

	// Compare-and-set rounds lost to other writers before a load or save gives up for now (and is tried again).
	private static final int MAX_ATTEMPTS = 8;

	private final ConcurrentMetadataStore store;

	private final String key;

	private final String storeName;

	private final int maxValueLength;

	private boolean fitting;

	/**
	 * The term this instance claimed at its last load; 0 before it claimed any. Written under the monitor, read
	 * without it: a save waiting on a stalled store holds the monitor, and a handler asking for the term must not
	 * wait behind it.
	 */
	private volatile long term;

	/** The value this instance last read or wrote under its term. */
	private @Nullable String expected;

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
	 * The lead term this instance holds: claimed by its last {@link #load()}; 0 before any.
	 * @return the term
	 */
	public long getTerm() {
		return this.term;
	}

	/**
	 * {@inheritDoc} Claims the next lead term first: from now on a save of an earlier term is refused.
	 * @throws CheckpointStoreUnavailableException if the store cannot be read or written now
	 * @throws CheckpointUnreadableException if the value under the key is no checkpoint
	 */
	@Override
	public synchronized Optional<Checkpoint> load() {
		try {
			for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
				String value = this.store.get(this.key);
				Stored stored = read(value);
				String claim = encode(stored.term() + 1, stored.checkpoint());
				boolean claimed = (value == null) ? this.store.putIfAbsent(this.key, claim) == null
						: this.store.replace(this.key, value, claim);
				if (claimed) {
					this.term = stored.term() + 1;
					this.expected = claim;
					return Optional.ofNullable(stored.checkpoint());
				}
			}
		}
		catch (CheckpointUnreadableException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			throw new CheckpointStoreUnavailableException("Cannot read the Arvados events checkpoint under key '"
					+ this.key + "' in " + this.storeName + ": " + describe(ex), ex);
		}
		throw new CheckpointStoreUnavailableException("Cannot claim the Arvados events checkpoint under key '"
				+ this.key + "' in " + this.storeName + ": other instances wrote it " + MAX_ATTEMPTS + " times meanwhile");
	}

	/**
	 * {@inheritDoc} Replaces the value under this instance's term. An instance that never loaded claims a term
	 * first: one told where to start takes the key over. A value of its own term it did not know of (a write whose
	 * answer was lost) or of an earlier term is replaced.
	 * @throws CheckpointConflictException if a later term was claimed (another instance took the lead), or the
	 * position was removed; the stored value stays
	 * @throws CheckpointStoreUnavailableException if the store cannot be written now; the next save tries again
	 */
	@Override
	public synchronized void save(Checkpoint checkpoint) {
		if (this.term == 0) {
			load();
		}
		String json = encode(this.term, checkpoint);
		try {
			for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
				if (this.expected != null && this.store.replace(this.key, this.expected, json)) {
					this.expected = json;
					return;
				}
				String current = this.store.get(this.key);
				if (current == null) {
					throw new CheckpointConflictException("The Arvados events position under key '" + this.key + "' in "
							+ this.storeName + " was removed while this instance followed the stream; this one no "
							+ "longer saves");
				}
				long stored = Stored.termOf(current);
				if (stored > this.term) {
					throw new CheckpointConflictException("Another instance took the lead and saves the Arvados events "
							+ "position under key '" + this.key + "' in " + this.storeName + " (lead term " + stored
							+ ", this one's " + this.term + "); this one no longer saves");
				}
				this.expected = current;
			}
		}
		catch (CheckpointConflictException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			throw new CheckpointStoreUnavailableException("Cannot save the Arvados events checkpoint under key '"
					+ this.key + "' in " + this.storeName + ": " + describe(ex), ex);
		}
		throw new CheckpointStoreUnavailableException("Cannot save the Arvados events checkpoint under key '"
				+ this.key + "' in " + this.storeName + ": other writers changed it " + MAX_ATTEMPTS + " times meanwhile");
	}

	private Stored read(@Nullable String value) {
		try {
			return Stored.parse(value);
		}
		catch (IllegalArgumentException ex) {
			throw new CheckpointUnreadableException("The Arvados events checkpoint under key '" + this.key + "' in "
					+ this.storeName + " is unusable: " + ex.getMessage() + ". Not starting rather than resuming at the "
					+ "wrong place: remove it (for the JDBC store, DELETE FROM INT_METADATA_STORE WHERE METADATA_KEY = '"
					+ this.key + "') to start from arvados.events.start-from.");
		}
	}

	// The plain form while it fits (any version of the starter reads it), else the compact one; when even that does
	// not fit, as many gaps as fit.
	private String encode(long term, @Nullable Checkpoint checkpoint) {
		String plain = Stored.json(term, checkpoint, false);
		if (checkpoint == null || plain.length() <= this.maxValueLength) {
			this.fitting = false;
			return plain;
		}
		Checkpoint fitted = fit(checkpoint, (candidate) -> Stored.json(term, candidate, true).length()
				<= this.maxValueLength);
		if (fitted != checkpoint && !this.fitting) {
			logger.info("The Arvados events position has " + checkpoint.gaps().size() + " open gaps, more than the "
					+ this.maxValueLength + " characters of " + this.storeName + " hold: saved up to id "
					+ fitted.highestId() + " instead of " + checkpoint.highestId() + ", so a restart from it repeats "
					+ "what was handled above");
		}
		this.fitting = (fitted != checkpoint);
		return Stored.json(term, fitted, true);
	}

	/**
	 * The checkpoint, or as much of it as fits: as {@link ResumePosition#snapshot()} does beyond
	 * {@code gaps.max}, the highest id is lowered below the first gap left out, so a restart from it repeats handled
	 * events rather than skip unhandled ones.
	 * @param checkpoint the position
	 * @param fits whether a checkpoint's stored form fits
	 * @return the checkpoint itself when it fits, else the longest prefix of its gaps that does
	 */
	static Checkpoint fit(Checkpoint checkpoint, java.util.function.Predicate<Checkpoint> fits) {
		List<ResumePosition.Range> gaps = checkpoint.gaps();
		if (gaps.isEmpty() || fits.test(checkpoint)) {
			return checkpoint;
		}
		// With no gap kept it always fits; with all of them it does not.
		int fitting = 0;
		int notFitting = gaps.size();
		while (notFitting - fitting > 1) {
			int middle = (fitting + notFitting) >>> 1;
			if (fits.test(cut(gaps, middle))) {
				fitting = middle;
			}
			else {
				notFitting = middle;
			}
		}
		return cut(gaps, fitting);
	}

	private static Checkpoint cut(List<ResumePosition.Range> gaps, int kept) {
		return new Checkpoint(gaps.get(kept).from() - 1, gaps.subList(0, kept));
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

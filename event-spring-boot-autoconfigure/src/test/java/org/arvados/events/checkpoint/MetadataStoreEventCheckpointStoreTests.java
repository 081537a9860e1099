package org.arvados.events.checkpoint;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.integration.metadata.ConcurrentMetadataStore;
import org.springframework.integration.metadata.SimpleMetadataStore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The compare-and-set rules of the metadata store adapter, on Spring Integration's in-memory store; the same on
 * PostgreSQL is in {@link JdbcCheckpointStoreTests}.
 */
class MetadataStoreEventCheckpointStoreTests {

	private static final Checkpoint FIRST = new Checkpoint(120, List.of(new ResumePosition.Range(110, 112)));

	private static final Checkpoint SECOND = Checkpoint.after(130);

	private static final Checkpoint THIRD = Checkpoint.after(140);

	private final SimpleMetadataStore metadata = new SimpleMetadataStore();

	@Test
	void insertsThenReplacesWhatItRead() {
		MetadataStoreEventCheckpointStore store = new MetadataStoreEventCheckpointStore(this.metadata, "orders");
		assertThat(store.isDurable()).isTrue();
		assertThat(store.load()).isEmpty();
		store.save(FIRST);
		store.save(SECOND);
		assertThat(stored()).isEqualTo(new Stored(1, SECOND));
		assertThat(this.metadata.get("orders")).isEqualTo("{\"v\":1,\"term\":1,\"highest\":130,\"gaps\":[]}");
		assertThat(new MetadataStoreEventCheckpointStore(this.metadata, "orders").load()).contains(SECOND);
	}

	// The sequence of a leader paused past its lock: it wakes after the new leader loaded, and saves.
	@Test
	void aPausedLeadersLateSaveIsRefusedAndTheNewLeaderGoesOn() {
		MetadataStoreEventCheckpointStore paused = new MetadataStoreEventCheckpointStore(this.metadata, "orders");
		paused.load();
		paused.save(FIRST);
		MetadataStoreEventCheckpointStore leader = new MetadataStoreEventCheckpointStore(this.metadata, "orders");
		assertThat(leader.load()).contains(FIRST);
		assertThatExceptionOfType(CheckpointConflictException.class).isThrownBy(() -> paused.save(SECOND))
			.withMessage("Another instance took the lead and saves the Arvados events position under key 'orders' in "
					+ "SimpleMetadataStore (lead term 2, this one's 1); this one no longer saves");
		assertThat(stored()).isEqualTo(new Stored(2, FIRST));
		leader.save(THIRD);
		assertThat(stored()).isEqualTo(new Stored(2, THIRD));
	}

	@Test
	void aSaveOverAPositionAnotherInstanceWroteIsRefusedAndTheirsStays() {
		MetadataStoreEventCheckpointStore deposed = new MetadataStoreEventCheckpointStore(this.metadata, "orders");
		deposed.load();
		deposed.save(FIRST);
		MetadataStoreEventCheckpointStore leader = new MetadataStoreEventCheckpointStore(this.metadata, "orders");
		assertThat(leader.load()).contains(FIRST);
		leader.save(THIRD);
		assertThatExceptionOfType(CheckpointConflictException.class).isThrownBy(() -> deposed.save(SECOND));
		assertThat(stored()).isEqualTo(new Stored(2, THIRD));
	}

	@Test
	void ofTwoInstancesThatLoadTheLaterClaimSavesAndTheEarlierIsRefused() {
		MetadataStoreEventCheckpointStore earlier = new MetadataStoreEventCheckpointStore(this.metadata, "orders");
		MetadataStoreEventCheckpointStore later = new MetadataStoreEventCheckpointStore(this.metadata, "orders");
		assertThat(earlier.load()).isEmpty();
		assertThat(this.metadata.get("orders")).as("a claim before any position").isEqualTo("{\"v\":1,\"term\":1}");
		assertThat(later.load()).isEmpty();
		assertThatExceptionOfType(CheckpointConflictException.class).isThrownBy(() -> earlier.save(FIRST));
		later.save(THIRD);
		assertThat(stored()).isEqualTo(new Stored(2, THIRD));
	}

	@Test
	void aPositionRemovedWhileFollowingIsAConflict() {
		MetadataStoreEventCheckpointStore store = new MetadataStoreEventCheckpointStore(this.metadata, "orders");
		store.save(FIRST);
		this.metadata.remove("orders");
		assertThatExceptionOfType(CheckpointConflictException.class).isThrownBy(() -> store.save(SECOND))
			.withMessageContaining("was removed");
		assertThat(this.metadata.get("orders")).isNull();
	}

	// Started with an explicit start-from, it never loaded: it claims a term and takes the key over.
	@Test
	void aFirstSaveWithoutALoadClaimsATermAndReplacesWhatIsThere() {
		this.metadata.put("orders", FIRST.toJson());
		MetadataStoreEventCheckpointStore store = new MetadataStoreEventCheckpointStore(this.metadata, "orders");
		store.save(SECOND);
		assertThat(stored()).isEqualTo(new Stored(1, SECOND));
	}

	// A value saved before terms (version 0.1 of the starter) is read, and its key claimed.
	@Test
	void aPositionSavedWithoutATermIsLoadedAndItsKeyClaimed() {
		this.metadata.put("orders", FIRST.toJson());
		MetadataStoreEventCheckpointStore store = new MetadataStoreEventCheckpointStore(this.metadata, "orders");
		assertThat(store.load()).contains(FIRST);
		assertThat(store.getTerm()).isOne();
		assertThat(stored()).isEqualTo(new Stored(1, FIRST));
	}

	@Test
	void aLoadAfterAConflictClaimsANewerTermWithTheNewerPosition() {
		MetadataStoreEventCheckpointStore store = new MetadataStoreEventCheckpointStore(this.metadata, "orders");
		store.save(FIRST);
		MetadataStoreEventCheckpointStore other = new MetadataStoreEventCheckpointStore(this.metadata, "orders");
		other.load();
		other.save(SECOND);
		assertThatExceptionOfType(CheckpointConflictException.class).isThrownBy(() -> store.save(THIRD));
		assertThat(store.load()).contains(SECOND);
		store.save(THIRD);
		assertThat(stored()).isEqualTo(new Stored(3, THIRD));
		assertThatExceptionOfType(CheckpointConflictException.class).isThrownBy(() -> other.save(FIRST));
	}

	@Test
	void aWriteWhoseAnswerWasLostIsRecognisedAsItsOwnAtTheNextSave() {
		FailingStore failing = new FailingStore(this.metadata);
		MetadataStoreEventCheckpointStore store = new MetadataStoreEventCheckpointStore(failing, "orders");
		store.load();
		store.save(FIRST);
		failing.failAfterWriting.set("connection reset");
		assertThatExceptionOfType(CheckpointStoreUnavailableException.class).isThrownBy(() -> store.save(SECOND))
			.withMessageContaining("Cannot save the Arvados events checkpoint under key 'orders' in FailingStore")
			.withMessageContaining("connection reset");
		assertThat(stored()).as("it did land").isEqualTo(new Stored(1, SECOND));
		store.save(THIRD);
		assertThat(stored()).isEqualTo(new Stored(1, THIRD));
	}

	@Test
	void aFirstInsertWhoseAnswerWasLostIsRecognisedAsItsOwn() {
		FailingStore failing = new FailingStore(this.metadata);
		MetadataStoreEventCheckpointStore store = new MetadataStoreEventCheckpointStore(failing, "orders");
		store.load();
		failing.failAfterWriting.set("connection reset");
		assertThatExceptionOfType(CheckpointStoreUnavailableException.class).isThrownBy(() -> store.save(FIRST));
		store.save(SECOND);
		assertThat(stored()).isEqualTo(new Stored(1, SECOND));
	}

	@Test
	void aStoreThatCannotBeReachedSaysSoAndTheNextSaveWorks() {
		FailingStore failing = new FailingStore(this.metadata);
		MetadataStoreEventCheckpointStore store = new MetadataStoreEventCheckpointStore(failing, "orders");
		failing.failBefore.set("connection refused");
		assertThatExceptionOfType(CheckpointStoreUnavailableException.class).isThrownBy(store::load)
			.withMessage("Cannot read the Arvados events checkpoint under key 'orders' in FailingStore: "
					+ "IllegalStateException: connection refused");
		failing.failBefore.set(null);
		assertThat(store.load()).isEmpty();
		store.save(FIRST);
		failing.failBefore.set("connection refused");
		assertThatExceptionOfType(CheckpointStoreUnavailableException.class).isThrownBy(() -> store.save(SECOND));
		failing.failBefore.set(null);
		store.save(THIRD);
		assertThat(stored()).isEqualTo(new Stored(1, THIRD));
	}

	// A handler that fences its own side effects with the term asks for it on every event: a save stuck on a
	// stalled database (its connection waits, holding the store) must not hold the handler up as well.
	@Test
	void theTermIsReadWhileASaveWaitsOnTheStore() throws Exception {
		CountDownLatch inReplace = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		SimpleMetadataStore stalling = new SimpleMetadataStore() {

			@Override
			public boolean replace(String key, String oldValue, String newValue) {
				if (newValue.contains("\"highest\"")) {
					inReplace.countDown();
					try {
						release.await();
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
				}
				return super.replace(key, oldValue, newValue);
			}

		};
		MetadataStoreEventCheckpointStore store = new MetadataStoreEventCheckpointStore(stalling, "orders");
		store.load();
		Thread saving = new Thread(() -> store.save(FIRST));
		saving.start();
		try {
			assertThat(inReplace.await(10, TimeUnit.SECONDS)).isTrue();
			CompletableFuture<Long> term = CompletableFuture.supplyAsync(store::getTerm);
			assertThat(term.get(5, TimeUnit.SECONDS)).isEqualTo(1);
		}
		finally {
			release.countDown();
			saving.join();
		}
	}

	// Instances that load and save in turn at random: a save succeeds exactly when no later load came between
	// the saver's own load and it, and the stored position is always the last successful save's.
	@Test
	void savesSucceedExactlyUnderTheNewestTermWhateverTheInterleaving() {
		long seed = new java.util.Random().nextLong();
		java.util.Random random = new java.util.Random(seed);
		List<MetadataStoreEventCheckpointStore> instances = List.of(
				new MetadataStoreEventCheckpointStore(this.metadata, "orders"),
				new MetadataStoreEventCheckpointStore(this.metadata, "orders"),
				new MetadataStoreEventCheckpointStore(this.metadata, "orders"));
		long[] claimedTerm = new long[3];
		long newest = 0;
		Checkpoint last = null;
		for (int step = 0; step < 2000; step++) {
			int i = random.nextInt(3);
			MetadataStoreEventCheckpointStore instance = instances.get(i);
			if (random.nextInt(4) == 0) {
				assertThat(instance.load()).as("seed %d step %d", seed, step).isEqualTo(java.util.Optional.ofNullable(last));
				claimedTerm[i] = ++newest;
			}
			else if (claimedTerm[i] != 0) {
				Checkpoint next = Checkpoint.after(step);
				if (claimedTerm[i] == newest) {
					instance.save(next);
					last = next;
				}
				else {
					assertThatExceptionOfType(CheckpointConflictException.class).as("seed %d step %d", seed, step)
						.isThrownBy(() -> instance.save(next));
				}
			}
			assertThat(stored()).as("seed %d step %d", seed, step)
				.isEqualTo(new Stored(newest, last));
		}
	}

	private Stored stored() {
		return Stored.parse(this.metadata.get("orders"));
	}

	@Test
	void aValueThatIsNoCheckpointStopsTheStartSayingWhatToDo() {
		this.metadata.put("orders", "{\"v\":1,\"highest\":");
		MetadataStoreEventCheckpointStore store = new MetadataStoreEventCheckpointStore(this.metadata, "orders");
		assertThatIllegalStateException().isThrownBy(store::load)
			.isNotInstanceOf(CheckpointStoreUnavailableException.class)
			.withMessageStartingWith("The Arvados events checkpoint under key 'orders' in SimpleMetadataStore is "
					+ "unusable: Not a checkpoint (not JSON)")
			.withMessageContaining("DELETE FROM INT_METADATA_STORE WHERE METADATA_KEY = 'orders'")
			.withMessageEndingWith("to start from arvados.events.start-from.");
	}

	@Test
	void anIdBeyondTheRangeOfALongStopsTheStartSayingWhatToDo() {
		this.metadata.put("orders", "{\"v\":1,\"highest\":18446744073709551617,\"gaps\":[]}");
		MetadataStoreEventCheckpointStore store = new MetadataStoreEventCheckpointStore(this.metadata, "orders");
		assertThatIllegalStateException().isThrownBy(store::load)
			.isInstanceOf(CheckpointUnreadableException.class)
			.withMessageStartingWith("The Arvados events checkpoint under key 'orders' in SimpleMetadataStore is "
					+ "unusable: The highest id must be a whole number from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE
					+ ", not 18446744073709551617")
			.withMessageEndingWith("to start from arvados.events.start-from.");
	}

	/** A store whose next call fails, before or after it reached the data. */
	static final class FailingStore implements ConcurrentMetadataStore {

		final AtomicReference<@Nullable String> failBefore = new AtomicReference<>();

		final AtomicReference<@Nullable String> failAfterWriting = new AtomicReference<>();

		private final ConcurrentMetadataStore delegate;

		FailingStore(ConcurrentMetadataStore delegate) {
			this.delegate = delegate;
		}

		private void before() {
			String failure = this.failBefore.get();
			if (failure != null) {
				throw new IllegalStateException(failure);
			}
		}

		private void after() {
			String failure = this.failAfterWriting.getAndSet(null);
			if (failure != null) {
				throw new IllegalStateException(failure);
			}
		}

		@Override
		public @Nullable String putIfAbsent(String key, String value) {
			before();
			String previous = this.delegate.putIfAbsent(key, value);
			after();
			return previous;
		}

		@Override
		public boolean replace(String key, String oldValue, String newValue) {
			before();
			boolean replaced = this.delegate.replace(key, oldValue, newValue);
			after();
			return replaced;
		}

		@Override
		public void put(String key, String value) {
			before();
			this.delegate.put(key, value);
		}

		@Override
		public @Nullable String get(String key) {
			before();
			return this.delegate.get(key);
		}

		@Override
		public @Nullable String remove(String key) {
			before();
			return this.delegate.remove(key);
		}

	}

}

package org.arvados.events.checkpoint;

import java.util.List;
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
		assertThat(this.metadata.get("orders")).isEqualTo(SECOND.toJson());
		assertThat(new MetadataStoreEventCheckpointStore(this.metadata, "orders").load()).contains(SECOND);
	}

	@Test
	void aSaveOverAPositionAnotherInstanceWroteIsRefusedAndTheirsStays() {
		MetadataStoreEventCheckpointStore deposed = new MetadataStoreEventCheckpointStore(this.metadata, "orders");
		deposed.load();
		deposed.save(FIRST);
		MetadataStoreEventCheckpointStore leader = new MetadataStoreEventCheckpointStore(this.metadata, "orders");
		assertThat(leader.load()).contains(FIRST);
		leader.save(THIRD);
		assertThatExceptionOfType(CheckpointConflictException.class).isThrownBy(() -> deposed.save(SECOND))
			.withMessage("Another instance saved a newer Arvados events position under key 'orders' in "
					+ "SimpleMetadataStore; this one no longer saves");
		assertThat(this.metadata.get("orders")).isEqualTo(THIRD.toJson());
	}

	@Test
	void anInsertOverAPositionAnotherInstanceInsertedMeanwhileIsRefused() {
		MetadataStoreEventCheckpointStore late = new MetadataStoreEventCheckpointStore(this.metadata, "orders");
		assertThat(late.load()).isEmpty();
		this.metadata.put("orders", THIRD.toJson());
		assertThatExceptionOfType(CheckpointConflictException.class).isThrownBy(() -> late.save(FIRST));
		assertThat(this.metadata.get("orders")).isEqualTo(THIRD.toJson());
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

	// Started with an explicit start-from, it never loaded: it takes the key over from whatever is there.
	@Test
	void aFirstSaveWithoutALoadReplacesWhatIsThere() {
		this.metadata.put("orders", FIRST.toJson());
		MetadataStoreEventCheckpointStore store = new MetadataStoreEventCheckpointStore(this.metadata, "orders");
		store.save(SECOND);
		assertThat(this.metadata.get("orders")).isEqualTo(SECOND.toJson());
	}

	@Test
	void aLoadAfterAConflictTakesTheNewerPositionAsTheExpectedOne() {
		MetadataStoreEventCheckpointStore store = new MetadataStoreEventCheckpointStore(this.metadata, "orders");
		store.save(FIRST);
		this.metadata.put("orders", SECOND.toJson());
		assertThatExceptionOfType(CheckpointConflictException.class).isThrownBy(() -> store.save(THIRD));
		assertThat(store.load()).contains(SECOND);
		store.save(THIRD);
		assertThat(this.metadata.get("orders")).isEqualTo(THIRD.toJson());
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
		assertThat(this.metadata.get("orders")).as("it did land").isEqualTo(SECOND.toJson());
		store.save(THIRD);
		assertThat(this.metadata.get("orders")).isEqualTo(THIRD.toJson());
	}

	@Test
	void aFirstInsertWhoseAnswerWasLostIsRecognisedAsItsOwn() {
		FailingStore failing = new FailingStore(this.metadata);
		MetadataStoreEventCheckpointStore store = new MetadataStoreEventCheckpointStore(failing, "orders");
		store.load();
		failing.failAfterWriting.set("connection reset");
		assertThatExceptionOfType(CheckpointStoreUnavailableException.class).isThrownBy(() -> store.save(FIRST));
		store.save(SECOND);
		assertThat(this.metadata.get("orders")).isEqualTo(SECOND.toJson());
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
		assertThat(this.metadata.get("orders")).isEqualTo(THIRD.toJson());
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

package org.arvados.events.test.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.arvados.events.test.LogEntry;
import org.arvados.events.test.Transaction;
import org.arvados.events.test.format.Timestamps;

/**
 * The fake {@code logs} table: an id sequence, the committed rows, and a commit notification that
 * plays the part of PostgreSQL's {@code NOTIFY logs}.
 *
 * <p>Commits are serialised and listeners run inside that critical section, so every listener
 * sees rows in commit order, which is not id order when transactions overlap. Listeners must not
 * block.
 */
public final class LogStore {

	private final Object commitLock = new Object();

	private final AtomicLong sequence;

	private final List<LogEntry> commitOrder = new ArrayList<>();

	private final ConcurrentSkipListMap<Long, LogEntry> byId = new ConcurrentSkipListMap<>();

	private final List<Consumer<LogEntry>> listeners = new CopyOnWriteArrayList<>();

	public LogStore(long firstId) {
		this.sequence = new AtomicLong(firstId);
	}

	/** Registers a commit listener, called in commit order while commits are held off. */
	public void onCommit(Consumer<LogEntry> listener) {
		this.listeners.add(listener);
	}

	/** Allocates an id and prepares the row, with its timestamps taken now, like an INSERT. */
	public Transaction begin(String eventType, String objectUuid, String objectOwnerUuid,
			Map<String, Object> properties) {
		return begin(Timestamps.now(), eventType, objectUuid, objectOwnerUuid, properties);
	}

	/** Allocates an id and prepares the row, with its timestamps ({@code created_at}, {@code event_at}) given. */
	public Transaction begin(Instant createdAt, String eventType, String objectUuid, String objectOwnerUuid,
			Map<String, Object> properties) {
		LogEntry row = new LogEntry(this.sequence.getAndIncrement(), Uuids.random("57u5n"), objectUuid,
				objectOwnerUuid, Uuids.kindOf(objectUuid), eventType, createdAt, createdAt, properties);
		return new Pending(row);
	}

	/** Committed rows in commit order. */
	public List<LogEntry> inCommitOrder() {
		synchronized (this.commitLock) {
			return List.copyOf(this.commitOrder);
		}
	}

	/** Committed rows in id order (a live view: rows committed meanwhile may appear). */
	public Collection<LogEntry> inIdOrder() {
		return this.byId.values();
	}

	/** Committed rows with an id strictly greater than {@code id}, in id order (a live view). */
	public Collection<LogEntry> after(long id) {
		return this.byId.tailMap(id, false).values();
	}

	private void commit(LogEntry row) {
		synchronized (this.commitLock) {
			this.commitOrder.add(row);
			this.byId.put(row.id(), row);
			for (Consumer<LogEntry> listener : this.listeners) {
				listener.accept(row);
			}
		}
	}

	/** An uncommitted row; its state changes are guarded by the store's commit lock. */
	private final class Pending implements Transaction {

		private final LogEntry row;

		private boolean committed;

		private boolean rolledBack;

		Pending(LogEntry row) {
			this.row = row;
		}

		@Override
		public long id() {
			return this.row.id();
		}

		@Override
		public LogEntry commit() {
			synchronized (LogStore.this.commitLock) {
				if (this.committed || this.rolledBack) {
					throw new IllegalStateException("Transaction for log " + id() + " is already "
							+ (this.committed ? "committed" : "rolled back"));
				}
				this.committed = true;
				LogStore.this.commit(this.row);
			}
			return this.row;
		}

		@Override
		public void rollback() {
			synchronized (LogStore.this.commitLock) {
				if (this.committed) {
					throw new IllegalStateException("Transaction for log " + id() + " is already committed");
				}
				this.rolledBack = true;
			}
		}

		@Override
		public String toString() {
			return "Transaction[id=" + id() + "]";
		}

	}

}

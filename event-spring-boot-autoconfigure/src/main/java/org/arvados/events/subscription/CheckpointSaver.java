package org.arvados.events.subscription;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.arvados.events.LogSafe;
import org.arvados.events.checkpoint.Checkpoint;
import org.arvados.events.checkpoint.CheckpointConflictException;
import org.arvados.events.checkpoint.EventCheckpointStore;
import org.arvados.events.checkpoint.ResumePosition;
import org.arvados.events.transport.SecretRedactor;
import org.jspecify.annotations.Nullable;

/**
 * Saves the {@link ResumePosition} to the {@link EventCheckpointStore} on a thread of its own: once per
 * {@code checkpoint.interval} while the position changes, one save at a time, and once more on demand after the
 * drain on stop. The dispatching thread only marks the position changed (one volatile write per event), so a slow
 * store never slows the stream to its own pace; a crash repeats at most one interval's events.
 * <p>
 * A store that refuses the save because another instance wrote a newer position (compare-and-set) fences this one
 * off: it saves no more until it loads again, and says so.
 */
final class CheckpointSaver {

	private static final Log logger = LogFactory.getLog(CheckpointSaver.class);

	private static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

	private final ResumePosition position;

	private final EventCheckpointStore store;

	private final Duration interval;

	private final SecretRedactor redactor;

	private final Consumer<String> onFenced;

	private final Object saveMonitor = new Object();

	private volatile boolean changed;

	/** When the first change not in a snapshot yet was made; 0 when none. */
	private volatile long changedSince;

	/** When the first change not saved yet was made (in a snapshot under way, or not); 0 when none. */
	private volatile long unsavedSince;

	/** What the store holds from this instance: read without the monitor, which a hung save may hold. */
	private volatile @Nullable Checkpoint saved;

	private volatile boolean fenced;

	private @Nullable ScheduledExecutorService timer;

	/**
	 * @param position what to save
	 * @param store where
	 * @param interval how often at most while it changes
	 * @param redactor keeps the token out of messages
	 * @param onFenced told when another instance saved a newer position
	 */
	CheckpointSaver(ResumePosition position, EventCheckpointStore store, Duration interval, SecretRedactor redactor,
			Consumer<String> onFenced) {
		this.position = position;
		this.store = store;
		this.interval = interval;
		this.redactor = redactor;
		this.onFenced = onFenced;
	}

	/**
	 * Load the saved position into the resume position; from now on, saves compare against it.
	 * @return whether one was saved
	 */
	boolean load() {
		synchronized (this.saveMonitor) {
			Checkpoint loaded = this.store.load().orElse(null);
			this.fenced = false;
			this.saved = loaded;
			// A new start from what is stored: nothing handled waits for a save (a refused one left its time here).
			this.changed = false;
			this.changedSince = 0;
			this.unsavedSince = 0;
			if (loaded != null) {
				this.position.restore(loaded);
			}
			return loaded != null;
		}
	}

	/** Start saving every interval. */
	synchronized void start() {
		if (this.timer == null) {
			ScheduledExecutorService saving = Executors.newSingleThreadScheduledExecutor((task) -> {
				Thread thread = new Thread(task, "arvados-events-checkpoint");
				thread.setDaemon(true);
				return thread;
			});
			long nanos = this.interval.toNanos();
			saving.scheduleWithFixedDelay(this::saveIfChanged, nanos, nanos, TimeUnit.NANOSECONDS);
			this.timer = saving;
		}
	}

	/**
	 * Save nothing more until the next load: this instance no longer leads. The timer stops.
	 */
	void fence() {
		stopTimer();
		synchronized (this.saveMonitor) {
			this.fenced = true;
		}
	}

	private void stopTimer() {
		ScheduledExecutorService saving;
		synchronized (this) {
			saving = this.timer;
			this.timer = null;
		}
		if (saving != null) {
			saving.shutdown();
		}
	}

	/** The position moved: the next tick saves it. */
	void changed() {
		if (this.changedSince == 0) {
			this.changedSince = System.nanoTime();
		}
		if (this.unsavedSince == 0) {
			this.unsavedSince = this.changedSince;
		}
		this.changed = true;
	}

	/**
	 * How long the oldest change not saved yet has waited: zero when everything is saved.
	 * @return the time, on the monotonic clock
	 */
	long unsavedNanos() {
		long since = this.unsavedSince;
		return (since == 0 || this.fenced) ? 0 : System.nanoTime() - since;
	}

	/**
	 * Stop the timer, and save now what changed: after the drain on stop. A save that fails is tried again while
	 * the budget lasts; one the store does not answer is given up on when it ends (the call goes on, on a thread of
	 * its own), so that a database that stopped answering cannot hold the stop for ever.
	 * @param budget how long the stop may spend saving
	 * @return what is saved now, where the next start resumes: {@code null} when nothing was ever saved
	 */
	@Nullable Checkpoint flush(Duration budget) {
		stopTimer();
		long deadline = System.nanoTime() + budget.toNanos();
		while (true) {
			CompletableFuture<Boolean> attempt = CompletableFuture.supplyAsync(this::trySave, (task) -> {
				Thread thread = new Thread(task, "arvados-events-final-save");
				thread.setDaemon(true);
				thread.start();
			});
			long left = deadline - System.nanoTime();
			try {
				if (attempt.get(Math.max(0, left), TimeUnit.NANOSECONDS) || deadline - System.nanoTime() <= 0) {
					break;
				}
			}
			catch (TimeoutException ex) {
				logger.warn("The checkpoint store did not answer the last save of the Arvados events position within "
						+ budget.toMillis() + " ms of the stop; it is given up on");
				break;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
			catch (ExecutionException ex) {
				break;
			}
			LockSupport.parkNanos(Math.min(deadline - System.nanoTime(), RETRY_NANOS));
		}
		return this.saved;
	}

	// True when nothing is left to save (saved, fenced, or nothing known).
	private boolean trySave() {
		saveIfChanged();
		return !this.changed || this.fenced;
	}

	/** Save now, on the caller's thread, what changed: where a start without a saved position begins. */
	void saveNow() {
		saveIfChanged();
	}

	private void saveIfChanged() {
		// Told outside the monitor: the deposition it starts waits for the lifecycle's monitor, whose holder (a
		// revoke, a stop) may be flushing this saver meanwhile, and each would wait for the other for good.
		String refused = saveUnlessFenced();
		if (refused != null) {
			this.onFenced.accept(refused);
		}
	}

	// The message of a refused save, else null.
	private @Nullable String saveUnlessFenced() {
		synchronized (this.saveMonitor) {
			if (!this.changed || this.fenced || !this.position.isStarted()) {
				return null;
			}
			this.changed = false;
			this.changedSince = 0;
			Checkpoint checkpoint = this.position.snapshot();
			if (checkpoint.equals(this.saved)) {
				this.unsavedSince = this.changedSince;
				return null;
			}
			try {
				this.store.save(checkpoint);
				this.saved = checkpoint;
				// What changed while it was saved waits for the next save.
				this.unsavedSince = this.changedSince;
			}
			catch (CheckpointConflictException ex) {
				this.fenced = true;
				String message = "Stopped saving the Arvados events position: "
						+ LogSafe.forLog(this.redactor.redact(ex.getMessage()));
				logger.error(message);
				return message;
			}
			catch (RuntimeException ex) {
				this.changed = true;
				logger.warn("Cannot save the Arvados events position (after id " + checkpoint.lowWaterMark() + "): "
						+ this.redactor.describe(ex) + "; trying again in " + this.interval.toMillis() + " ms");
			}
			catch (Error ex) {
				// Caught too: it would end the timer's periodic task without a word, and nothing would be saved again.
				this.changed = true;
				logger.error("Unexpected failure saving the Arvados events position (after id "
						+ checkpoint.lowWaterMark() + "): " + this.redactor.describe(ex) + "; trying again in "
						+ this.interval.toMillis() + " ms");
			}
			return null;
		}
	}

}

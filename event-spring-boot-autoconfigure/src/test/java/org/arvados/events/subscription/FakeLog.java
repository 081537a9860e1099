package org.arvados.events.subscription;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.BooleanSupplier;

/**
 * A {@link LogList} without HTTP: counts the calls, and fails them when the test says so.
 */
final class FakeLog implements LogList {

	int verifies;

	int catchUps;

	int gapLookups;

	boolean openGaps;

	/** Thrown by every {@link #verify} while set. */
	RuntimeException verifyFailure;

	/** Thrown by the next calls to {@link #catchUp}, one each. */
	final Deque<Throwable> catchUpFailures = new ArrayDeque<>();

	/** Thrown by every {@link #fillGaps} while set. */
	Throwable gapFailure;

	@Override
	public void verify() {
		this.verifies++;
		if (this.verifyFailure != null) {
			throw this.verifyFailure;
		}
	}

	@Override
	public void startFromNewest() {
	}

	@Override
	public boolean catchUp(BooleanSupplier stillWanted) {
		this.catchUps++;
		Throwable failure = this.catchUpFailures.poll();
		if (failure != null) {
			throw sneaky(failure);
		}
		return stillWanted.getAsBoolean();
	}

	@Override
	public void fillGaps(BooleanSupplier stillWanted) {
		this.gapLookups++;
		if (this.gapFailure != null) {
			throw sneaky(this.gapFailure);
		}
	}

	@Override
	public boolean hasOpenGaps() {
		return this.openGaps;
	}

	@Override
	public long resumeAfter() {
		return 0;
	}

	// A RuntimeException or an Error, as given.
	private static RuntimeException sneaky(Throwable failure) {
		if (failure instanceof Error error) {
			throw error;
		}
		return (RuntimeException) failure;
	}

}

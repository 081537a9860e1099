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
	final Deque<RuntimeException> catchUpFailures = new ArrayDeque<>();

	/** Thrown by every {@link #fillGaps} while set. */
	RuntimeException gapFailure;

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
		RuntimeException failure = this.catchUpFailures.poll();
		if (failure != null) {
			throw failure;
		}
		return stillWanted.getAsBoolean();
	}

	@Override
	public void fillGaps(BooleanSupplier stillWanted) {
		this.gapLookups++;
		if (this.gapFailure != null) {
			throw this.gapFailure;
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

}

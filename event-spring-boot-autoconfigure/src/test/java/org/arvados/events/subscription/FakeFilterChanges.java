package org.arvados.events.subscription;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.arvados.events.filter.EventFilter;

/**
 * {@link FilterChanges} set by the test: the sets to add and remove at the next change, and failures of the
 * histories.
 */
final class FakeFilterChanges implements FilterChanges {

	final List<Added> added = new ArrayList<>();

	final List<List<EventFilter>> removed = new ArrayList<>();

	/** Thrown by the next calls to {@link #backfill}, one each. */
	final Deque<RuntimeException> backfillFailures = new ArrayDeque<>();

	int backfills;

	@Override
	public List<List<EventFilter>> takeRemoved() {
		List<List<EventFilter>> taken = List.copyOf(this.removed);
		this.removed.clear();
		return taken;
	}

	@Override
	public List<Added> apply() {
		List<Added> taken = List.copyOf(this.added);
		this.added.clear();
		return taken;
	}

	@Override
	public boolean backfill(BooleanSupplier stillWanted) {
		this.backfills++;
		RuntimeException failure = this.backfillFailures.poll();
		if (failure != null) {
			throw failure;
		}
		return true;
	}

}

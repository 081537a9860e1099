package org.arvados.events.pull;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

import org.arvados.events.ArvadosEvent;
import org.arvados.events.filter.EventCriteria;
import org.jspecify.annotations.Nullable;

/**
 * What a pull listener selects and how it queues, for {@link ArvadosEventListeners#select()}. Criteria combine
 * as {@link org.arvados.events.annotation.EventHandler @EventHandler}'s attributes do: an event must match every
 * criterion given, and one of the values of each. Without any, the listener takes every event.
 */
public final class PullListenerBuilder {

	/** Events that may wait unless {@link #capacity(int)} says otherwise. */
	public static final int DEFAULT_CAPACITY = 1000;

	/** Selected events kept for {@link PullListener#history()} unless {@link #history(int)} says otherwise. */
	public static final int DEFAULT_HISTORY = 16;

	private final ArvadosEventListeners listeners;

	private final Set<String> eventTypes = new LinkedHashSet<>();

	private final Set<String> objectKinds = new LinkedHashSet<>();

	private final List<String> objectUuids = new ArrayList<>();

	private Predicate<ArvadosEvent> where = (event) -> true;

	private int capacity = DEFAULT_CAPACITY;

	private OverflowPolicy overflowPolicy = OverflowPolicy.DROP_OLDEST;

	private int historySize = DEFAULT_HISTORY;

	private @Nullable String name;

	PullListenerBuilder(ArvadosEventListeners listeners) {
		this.listeners = listeners;
	}

	/** Only these event types: {@code create}, {@code update}, {@code delete}, {@code stderr}, … */
	public PullListenerBuilder eventTypes(String... eventTypes) {
		this.eventTypes.addAll(List.of(eventTypes));
		return this;
	}

	/** Only objects of these kinds, e.g. {@code arvados#collection}. */
	public PullListenerBuilder objectKinds(String... objectKinds) {
		this.objectKinds.addAll(List.of(objectKinds));
		return this;
	}

	/** Only objects whose UUID matches one of these patterns, with {@code *} and {@code ?}: {@code zzzzz-4zz18-*}. */
	public PullListenerBuilder objectUuids(String... patterns) {
		this.objectUuids.addAll(List.of(patterns));
		return this;
	}

	/**
	 * Only events the predicate accepts (with the criteria above). It runs on the dispatching thread for every
	 * event: keep it quick; an exception from it counts as "not selected" and is logged.
	 */
	public PullListenerBuilder where(Predicate<ArvadosEvent> predicate) {
		Predicate<ArvadosEvent> before = this.where;
		Objects.requireNonNull(predicate, "predicate");
		this.where = (event) -> before.test(event) && predicate.test(event);
		return this;
	}

	/** How many selected events may wait to be read (default {@value #DEFAULT_CAPACITY}); at least 1. */
	public PullListenerBuilder capacity(int capacity) {
		if (capacity < 1) {
			throw new IllegalArgumentException("A pull listener's capacity must be at least 1, not " + capacity);
		}
		this.capacity = capacity;
		return this;
	}

	/** What to drop when the queue is full (default {@link OverflowPolicy#DROP_OLDEST}). */
	public PullListenerBuilder whenFull(OverflowPolicy overflowPolicy) {
		this.overflowPolicy = Objects.requireNonNull(overflowPolicy, "overflowPolicy");
		return this;
	}

	/** How many of the last selected events {@link PullListener#history()} keeps (default {@value #DEFAULT_HISTORY}); 0 for none. */
	public PullListenerBuilder history(int size) {
		if (size < 0) {
			throw new IllegalArgumentException("A pull listener's history size must not be negative, not " + size);
		}
		this.historySize = size;
		return this;
	}

	/** A name for log lines (default {@code pull-<n>}). */
	public PullListenerBuilder name(String name) {
		this.name = Objects.requireNonNull(name, "name");
		return this;
	}

	/**
	 * Open the listener: it takes the events dispatched from now on. Close it when done.
	 * @return the listener
	 */
	public PullListener open() {
		return this.listeners.open(this);
	}

	Predicate<ArvadosEvent> selector() {
		return new EventSelector(new EventCriteria(this.eventTypes, this.objectKinds, this.objectUuids), this.where);
	}

	int capacity() {
		return this.capacity;
	}

	OverflowPolicy overflowPolicy() {
		return this.overflowPolicy;
	}

	int historySize() {
		return this.historySize;
	}

	@Nullable String name() {
		return this.name;
	}

}

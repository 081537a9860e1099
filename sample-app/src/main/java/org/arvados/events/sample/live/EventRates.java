package org.arvados.events.sample.live;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * How many events the live page received in each second of the last {@value #SECONDS}, by event type, for its
 * chart: kept here rather than counted by each browser, so that a page opened late draws the minutes before it.
 * Event types are anyone's strings: at most {@value #MAX_TYPES} are told apart at once (a type falls out once it
 * has been quiet for the whole window), the rest count as other, and a long one is cut.
 */
@Component
@ConditionalOnProperty(name = "sample.live.enabled", matchIfMissing = true)
class EventRates {

	static final int SECONDS = 300;

	static final int MAX_TYPES = 8;

	static final int MAX_TYPE_LENGTH = 64;

	private final LongSupplier clock;

	// Slot s % SECONDS counts second s, while seconds[slot] says it does: a slot is reused a window later.
	private final long[] seconds = new long[SECONDS];

	private final Map<String, int[]> byType = new LinkedHashMap<>();

	private final int[] other = new int[SECONDS];

	EventRates() {
		this(() -> System.currentTimeMillis() / 1000);
	}

	/** @param clock the time, in whole seconds since the epoch */
	EventRates(LongSupplier clock) {
		this.clock = clock;
		Arrays.fill(this.seconds, Long.MIN_VALUE);
	}

	/** Count an event of this type in the current second. */
	synchronized void add(String eventType) {
		// The clock is read under the lock: an event is never counted in a second that a page was sent already.
		int slot = claim(this.clock.getAsLong());
		counts(cut(eventType))[slot]++;
	}

	/**
	 * The seconds after {@code after} that are over, up to the last; at most the last {@value #SECONDS}.
	 * @param after the last second a page was sent, 0 for none
	 */
	synchronized Window since(long after) {
		long to = this.clock.getAsLong() - 1;
		long from = Math.max(after + 1, to - SECONDS + 1);
		Map<String, int[]> types = new LinkedHashMap<>();
		this.byType.forEach((type, counts) -> {
			int[] window = window(counts, from, to);
			if (window != null) {
				types.put(type, window);
			}
		});
		return new Window(from, to, types, window(this.other, from, to));
	}

	private int claim(long second) {
		int slot = slot(second);
		if (this.seconds[slot] != second) {
			this.seconds[slot] = second;
			this.byType.values().forEach((counts) -> counts[slot] = 0);
			this.other[slot] = 0;
		}
		return slot;
	}

	private int[] counts(String type) {
		int[] counts = this.byType.get(type);
		if (counts != null) {
			return counts;
		}
		if (this.byType.size() >= MAX_TYPES) {
			forgetQuietTypes();
		}
		if (this.byType.size() >= MAX_TYPES) {
			return this.other;
		}
		counts = new int[SECONDS];
		this.byType.put(type, counts);
		return counts;
	}

	private void forgetQuietTypes() {
		long oldest = this.clock.getAsLong() - SECONDS + 1;
		this.byType.values().removeIf((counts) -> {
			for (int slot = 0; slot < SECONDS; slot++) {
				if (counts[slot] > 0 && this.seconds[slot] >= oldest) {
					return false;
				}
			}
			return true;
		});
	}

	// Null when every second is 0: a quiet type is left out of the message.
	private int @Nullable [] window(int[] counts, long from, long to) {
		if (from > to) {
			return null;
		}
		int[] window = new int[(int) (to - from + 1)];
		boolean any = false;
		for (long second = from; second <= to; second++) {
			int slot = slot(second);
			if (this.seconds[slot] == second && counts[slot] > 0) {
				window[(int) (second - from)] = counts[slot];
				any = true;
			}
		}
		return any ? window : null;
	}

	private static int slot(long second) {
		return (int) Math.floorMod(second, (long) SECONDS);
	}

	private static String cut(String type) {
		if (type.length() <= MAX_TYPE_LENGTH) {
			return type;
		}
		int end = Character.isHighSurrogate(type.charAt(MAX_TYPE_LENGTH - 1)) ? MAX_TYPE_LENGTH - 1 : MAX_TYPE_LENGTH;
		return type.substring(0, end) + "…";
	}

	/**
	 * Events per second, by type, over whole seconds: a {@code rates} message. Covers every second from
	 * {@code from} to {@code to}; a type missing, or {@code other} {@code null}, had none in them.
	 *
	 * @param from the first second, since the epoch
	 * @param to the last second, which is over; before {@code from} when there is none new
	 * @param types for each type, the count of each second from {@code from}
	 * @param other the same for the types beyond {@value #MAX_TYPES}, or {@code null}
	 */
	record Window(long from, long to, Map<String, int[]> types, int @Nullable [] other) {
	}

}

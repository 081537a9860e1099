package org.arvados.events.test.websocket;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

import org.arvados.events.test.LogEntry;
import org.arvados.events.test.format.Timestamps;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subscription of a connection, with arvados-ws' filter subset ({@code compileFilters} in
 * {@code session_v0.go}): only {@code ["event_type","in",[…]]} and
 * {@code ["created_at",op,RFC 3339]} are applied; every other filter is ignored, which widens the
 * subscription, exactly as clients must expect from a real server.
 */
final class Subscription {

	private static final Logger logger = LoggerFactory.getLogger(Subscription.class);

	private final @Nullable List<List<@Nullable Object>> filters;

	private final List<Predicate<LogEntry>> checks = new ArrayList<>();

	Subscription(@Nullable List<List<@Nullable Object>> filters) {
		this.filters = filters;
		if (filters != null) {
			for (List<@Nullable Object> filter : filters) {
				Predicate<LogEntry> check = compile(filter);
				if (check != null) {
					this.checks.add(check);
				}
			}
		}
	}

	/** Whether all applied filters accept the row (the filters of one subscription AND). */
	boolean matches(LogEntry entry) {
		for (Predicate<LogEntry> check : this.checks) {
			if (!check.test(entry)) {
				return false;
			}
		}
		return true;
	}

	/** Go's {@code reflect.DeepEqual} on the filters as sent, used by {@code unsubscribe}. */
	boolean hasFilters(@Nullable List<List<@Nullable Object>> other) {
		return Objects.equals(this.filters, other);
	}

	private static @Nullable Predicate<LogEntry> compile(List<@Nullable Object> filter) {
		Object column = filter.get(0);
		Object operator = filter.get(1);
		Object operand = filter.get(2);
		if ("event_type".equals(column)) {
			if (!"in".equals(operator) || !(operand instanceof List<?> values)) {
				return null;
			}
			List<String> types = values.stream().filter(String.class::isInstance).map(String.class::cast).toList();
			return (entry) -> types.contains(entry.eventType());
		}
		if ("created_at".equals(column) && operator instanceof String op && operand instanceof String text) {
			Instant time = Timestamps.parseRfc3339(text);
			if (time == null) {
				logger.info("Ignoring created_at filter with unparsable time {}", text);
				return null;
			}
			return switch (op) {
				case ">=" -> (entry) -> !entry.createdAt().isBefore(time);
				case "<=" -> (entry) -> !entry.createdAt().isAfter(time);
				case ">" -> (entry) -> entry.createdAt().isAfter(time);
				case "<" -> (entry) -> entry.createdAt().isBefore(time);
				case "=" -> (entry) -> entry.createdAt().equals(time);
				default -> {
					logger.info("Ignoring created_at filter with unknown operator {}", op);
					yield null;
				}
			};
		}
		return null;
	}

}

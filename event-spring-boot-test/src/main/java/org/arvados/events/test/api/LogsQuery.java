package org.arvados.events.test.api;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import org.arvados.events.test.LogEntry;
import org.arvados.events.test.format.Json;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;

/**
 * The parameters of {@code GET /arvados/v1/logs}, validated as {@code load_param.rb} and
 * {@code application_controller.rb} validate them.
 *
 * @param filter the compiled {@code filters}
 * @param order the compiled {@code order}, with Rails' tiebreak
 * @param limit {@code limit}, default 100, capped at the cluster's max items per response (1000 by default)
 * @param offset {@code offset}, default 0
 * @param countExact whether {@code items_available} is included ({@code count=exact})
 * @param idAfter the highest lower bound an {@code id >} or {@code id >=} filter sets, as an exclusive bound;
 * {@link Long#MIN_VALUE} without one (what PostgreSQL's index on {@code id} would start from)
 * @param idAtMost the lowest upper bound an {@code id <=} or {@code id <} filter sets, inclusive;
 * {@link Long#MAX_VALUE} without one
 * @param idAscending whether the order is by id, ascending (the index's order: nothing to sort)
 */
record LogsQuery(Predicate<LogEntry> filter, Comparator<LogEntry> order, int limit, int offset, boolean countExact,
		long idAfter, long idAtMost, boolean idAscending) {

	static final int DEFAULT_LIMIT = 100;

	static final int MAX_ITEMS_PER_RESPONSE = 1000;

	/** {@code id}, {@code id asc}, {@code ["id asc"]}: the order of the primary key. */
	private static final Pattern ID_ASCENDING = Pattern.compile("\\s*\\[?\\s*\"?\\s*(logs\\.)?id(\\s+asc)?\\s*\"?\\s*]?\\s*",
			Pattern.CASE_INSENSITIVE);

	/** As {@code load_param.rb}: {@code limit} is capped at the cluster's {@code API.MaxItemsPerResponse}. */
	static LogsQuery parse(Map<String, String> parameters, int maxItemsPerResponse) {
		Object filters = decodeFilters(parameters.get("filters"));
		Predicate<LogEntry> filter = LogFilters.compile(filters);
		String orderText = parameters.get("order");
		Comparator<LogEntry> order = order(orderText);
		int limit = Math.min(number(parameters, "limit", DEFAULT_LIMIT), maxItemsPerResponse);
		int offset = number(parameters, "offset", 0);
		String count = parameters.getOrDefault("count", "exact");
		if (!count.equals("exact") && !count.equals("none")) {
			throw ApiException.unprocessable("Invalid value for count parameter: " + count);
		}
		return new LogsQuery(filter, order, limit, offset, count.equals("exact"), idBound(filters, true),
				idBound(filters, false), orderText == null || ID_ASCENDING.matcher(orderText).matches());
	}

	// The range of ids the filters allow, as an index scan would use it: the exclusive lower bound, or the
	// inclusive upper one.
	private static long idBound(@Nullable Object filters, boolean lower) {
		long bound = lower ? Long.MIN_VALUE : Long.MAX_VALUE;
		if (filters instanceof List<?> list) {
			for (Object filter : list) {
				if (filter instanceof List<?> f && f.size() == 3 && "id".equals(f.get(0)) && f.get(2) != null
						&& String.valueOf(f.get(2)).matches("-?\\d{1,18}")) {
					long operand = Long.parseLong(String.valueOf(f.get(2)));
					String operator = String.valueOf(f.get(1));
					if (lower && (operator.equals(">") || operator.equals(">="))) {
						bound = Math.max(bound, operator.equals(">") ? operand : operand - 1);
					}
					else if (!lower && (operator.equals("<") || operator.equals("<="))) {
						bound = Math.min(bound, operator.equals("<=") ? operand : operand - 1);
					}
				}
			}
		}
		return bound;
	}

	private static @Nullable Object decodeFilters(@Nullable String text) {
		if (text == null || text.isBlank()) {
			return null;
		}
		try {
			return Json.READER.readValue(text, Object.class);
		}
		catch (JacksonException ex) {
			throw ApiException.unprocessable("Could not parse \"filters\" param as JSON: " + text);
		}
	}

	/**
	 * A JSON array ({@code ["id desc"]}) or a comma-separated string ({@code id desc}). Unknown
	 * columns are dropped silently; after a non-unique column Rails' default order
	 * ({@code modified_at desc, uuid desc}) breaks ties.
	 */
	private static Comparator<LogEntry> order(@Nullable String text) {
		List<String> entries = new ArrayList<>();
		if (text != null && text.trim().startsWith("[")) {
			try {
				for (Object entry : Json.READER.readValue(text, List.class)) {
					entries.add(String.valueOf(entry));
				}
			}
			catch (JacksonException ex) {
				throw ApiException.unprocessable("Could not parse \"order\" param as JSON: " + text);
			}
		}
		else if (text != null) {
			entries.addAll(List.of(text.split(",")));
		}
		@Nullable Comparator<LogEntry> order = null;
		boolean unique = false;
		for (String entry : entries) {
			String[] words = entry.trim().toLowerCase(Locale.ROOT).split("\\s+");
			Optional<LogColumn> column = LogColumn.named(words[0].replaceFirst("^logs\\.", ""));
			if (column.isEmpty() || words.length > 2 || (words.length == 2 && !words[1].matches("asc|desc"))) {
				continue;
			}
			Comparator<LogEntry> next = Comparator.comparing(column.get()::read);
			next = (words.length == 2 && words[1].equals("desc")) ? next.reversed() : next;
			order = (order == null) ? next : order.thenComparing(next);
			unique |= column.get().isUnique();
		}
		if (order == null) {
			return Comparator.comparingLong(LogEntry::id);
		}
		if (!unique) {
			order = order.thenComparing(Comparator.comparing(LogColumn.MODIFIED_AT::read).reversed())
				.thenComparing(Comparator.comparing(LogColumn.UUID::read).reversed());
		}
		return order;
	}

	private static int number(Map<String, String> parameters, String name, int fallback) {
		String text = parameters.get(name);
		if (text == null) {
			return fallback;
		}
		if (!text.matches("\\d+")) {
			throw ApiException.unprocessable("Invalid value for " + name + " parameter: " + text);
		}
		try {
			return Integer.parseInt(text);
		}
		catch (NumberFormatException ex) {
			return Integer.MAX_VALUE;
		}
	}

}

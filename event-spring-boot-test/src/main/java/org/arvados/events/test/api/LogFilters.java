package org.arvados.events.test.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import org.arvados.events.test.LogEntry;
import org.arvados.events.test.store.Uuids;
import org.jspecify.annotations.Nullable;

/**
 * The API server's {@code filters} parameter with its full semantics (unlike the WebSocket
 * server's subset), for the columns in {@link LogColumn}. Filters AND.
 */
final class LogFilters {

	private LogFilters() {
	}

	/** Compiles a decoded {@code filters} value, or fails with 422 as Rails does. */
	static Predicate<LogEntry> compile(@Nullable Object filters) {
		if (filters == null) {
			return (entry) -> true;
		}
		if (!(filters instanceof List<?> list)) {
			throw ApiException.unprocessable("Invalid value for filters parameter: must be an array");
		}
		List<Predicate<LogEntry>> checks = new ArrayList<>();
		for (Object filter : list) {
			if (!(filter instanceof List<?> parts) || parts.size() != 3 || !(parts.get(0) instanceof String attribute)
					|| !(parts.get(1) instanceof String operator)) {
				throw ApiException.unprocessable("Invalid filter " + filter + ": must be [attribute, operator, operand]");
			}
			checks.add(compile(attribute, operator.toLowerCase(Locale.ROOT), parts.get(2)));
		}
		return (entry) -> {
			for (Predicate<LogEntry> check : checks) {
				if (!check.test(entry)) {
					return false;
				}
			}
			return true;
		};
	}

	private static Predicate<LogEntry> compile(String attribute, String operator, @Nullable Object operand) {
		if (attribute.equals("object_kind") && operator.equals("=")) {
			return compile("object_uuid", "is_a", operand);  // the logs controller's legacy rewrite
		}
		LogColumn column = LogColumn.named(attribute)
			.orElseThrow(() -> ApiException.unprocessable("Invalid attribute '" + attribute + "' in filter"));
		return switch (operator) {
			case "=", "!=", "<>" -> {
				boolean equal = operator.equals("=");
				if (operand == null) {
					yield (entry) -> !equal;  // IS NULL: no column here is ever null
				}
				Comparable<?> value = column.operand(operand, operator);
				yield (entry) -> column.read(entry).equals(value) == equal;
			}
			case "<", "<=", ">", ">=" -> comparison(column, operator, column.operand(operand, operator));
			case "in", "not in" -> {
				if (!(operand instanceof List<?> values)) {
					throw ApiException.unprocessable("Invalid operand type for '" + operator + "' operator in filters");
				}
				List<Object> accepted = values.stream().<Object>map((value) -> column.operand(value, operator)).toList();
				boolean in = operator.equals("in");
				yield (entry) -> accepted.contains(column.read(entry)) == in;
			}
			case "is_a" -> isA(column, operand);
			case "like", "ilike" -> like(column, operator, operand);
			default -> throw ApiException.unprocessable("Invalid operator '" + operator + "' in filter");
		};
	}

	private static Predicate<LogEntry> comparison(LogColumn column, String operator, Comparable<?> operand) {
		return (entry) -> {
			int order = column.read(entry).compareTo(operand);
			return switch (operator) {
				case "<" -> order < 0;
				case "<=" -> order <= 0;
				case ">" -> order > 0;
				default -> order >= 0;
			};
		};
	}

	private static Predicate<LogEntry> isA(LogColumn column, @Nullable Object operand) {
		List<?> kinds = (operand instanceof List<?> list) ? list : List.of(String.valueOf(operand));
		if (column.type() != LogColumn.Type.STRING || kinds.stream().anyMatch((kind) -> !(kind instanceof String))) {
			throw ApiException.unprocessable("Invalid operand for 'is_a' operator on " + column.columnName());
		}
		return (entry) -> kinds.contains(Uuids.kindOf(column.read(entry).toString()));
	}

	private static Predicate<LogEntry> like(LogColumn column, String operator, @Nullable Object operand) {
		if (column.type() != LogColumn.Type.STRING || !(operand instanceof String pattern)) {
			throw ApiException.unprocessable("Invalid operand for '" + operator + "' operator on " + column.columnName());
		}
		int flags = operator.equals("ilike") ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0;
		Pattern regex = Pattern.compile(likeToRegex(pattern), flags | Pattern.DOTALL);
		return (entry) -> regex.matcher(column.read(entry).toString()).matches();
	}

	/** SQL LIKE: {@code %} any run, {@code _} one character, backslash escapes. */
	private static String likeToRegex(String pattern) {
		StringBuilder regex = new StringBuilder();
		for (int i = 0; i < pattern.length(); i++) {
			char c = pattern.charAt(i);
			if (c == '\\' && i + 1 < pattern.length()) {
				regex.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
			}
			else if (c == '%') {
				regex.append(".*");
			}
			else if (c == '_') {
				regex.append('.');
			}
			else {
				regex.append(Pattern.quote(String.valueOf(c)));
			}
		}
		return regex.toString();
	}

}

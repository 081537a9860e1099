package org.arvados.events.filter;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import org.arvados.events.ArvadosEvent;
import org.jspecify.annotations.Nullable;

/**
 * One Arvados filter, {@code [attribute, operator, operand]}, as in {@code arvados.events.filters}.
 * <p>
 * It is sent to the server as it is, but the WebSocket server applies only {@code event_type in} and
 * {@code created_at} comparisons and silently ignores the rest, so the client applies every filter again
 * on each event. Attributes an event does not carry ({@code created_at}, properties) are left to the server.
 *
 * @param attribute the log attribute, e.g. {@code event_type}, {@code object_uuid}, {@code id}
 * @param operator one of {@code = != <> < <= > >= in, not in, like, ilike, is_a, exists}
 * @param operand the value; several for {@code in}, {@code not in} and {@code is_a}
 */
public record EventFilter(String attribute, String operator, List<String> operand) {

	private static final Set<String> OPERATORS = Set.of("=", "!=", "<>", "<", "<=", ">", ">=", "in", "not in", "like",
			"ilike", "is_a", "exists");

	private static final Set<String> LIST_OPERATORS = Set.of("in", "not in");

	public EventFilter {
		if (attribute == null || attribute.isBlank()) {
			throw new IllegalArgumentException("An Arvados filter needs an attribute, e.g. event_type");
		}
		operator = (operator != null) ? operator.trim().toLowerCase(Locale.ROOT) : "";
		if (!OPERATORS.contains(operator)) {
			throw new IllegalArgumentException("Unknown operator '" + operator + "' in the Arvados filter on '"
					+ attribute + "'; use one of = != <> < <= > >= in, not in, like, ilike, is_a, exists");
		}
		operand = (operand != null) ? List.copyOf(operand) : List.of();
		if (operand.isEmpty() && !operator.equals("exists")) {
			throw new IllegalArgumentException("The Arvados filter '" + attribute + " " + operator + "' needs an operand");
		}
	}

	/**
	 * A filter with a single operand.
	 */
	public static EventFilter of(String attribute, String operator, String operand) {
		return new EventFilter(attribute, operator, List.of(operand));
	}

	/**
	 * The filter as the Arvados API expects it: {@code [attribute, operator, operand]}.
	 */
	public List<Object> toArvados() {
		boolean many = LIST_OPERATORS.contains(this.operator) || this.operand.size() > 1;
		Object value = many ? this.operand : (this.operand.isEmpty() ? true : this.operand.get(0));
		return List.of(this.attribute, this.operator, value);
	}

	/**
	 * Whether the event passes this filter, as far as the event's own fields can tell.
	 * @param event the event
	 * @return {@code false} only when the event certainly does not match
	 */
	public boolean matches(ArvadosEvent event) {
		Object actual = valueOf(event);
		if (actual == null) {
			return true;
		}
		if (this.operator.equals("is_a")) {
			String kind = this.attribute.equals("uuid") ? "arvados#log" : event.objectKind();
			return this.operand.contains(kind);
		}
		return switch (this.operator) {
			case "exists" -> true;
			case "in" -> this.operand.stream().anyMatch((value) -> compare(actual, value) == 0);
			case "not in" -> this.operand.stream().noneMatch((value) -> compare(actual, value) == 0);
			case "like" -> like(actual.toString(), false);
			case "ilike" -> like(actual.toString(), true);
			default -> test(compare(actual, this.operand.get(0)));
		};
	}

	// Short enough for a log line even with hundreds of operands.
	@Override
	public String toString() {
		String values = (this.operand.size() <= 3) ? String.join(", ", this.operand)
				: String.join(", ", this.operand.subList(0, 3)) + ", … (" + this.operand.size() + " values)";
		return this.attribute + " " + this.operator + " [" + values + "]";
	}

	private @Nullable Object valueOf(ArvadosEvent event) {
		return switch (this.attribute) {
			case "id" -> event.id();
			case "uuid" -> event.uuid();
			case "object_uuid" -> event.objectUuid();
			case "object_owner_uuid" -> event.objectOwnerUuid();
			case "object_kind" -> event.objectKind();
			case "event_type" -> event.eventType();
			case "event_at" -> event.eventAt();
			default -> null;
		};
	}

	private boolean test(int comparison) {
		return switch (this.operator) {
			case "=" -> comparison == 0;
			case "!=", "<>" -> comparison != 0;
			case "<" -> comparison < 0;
			case "<=" -> comparison <= 0;
			case ">" -> comparison > 0;
			default -> comparison >= 0;
		};
	}

	private static int compare(Object actual, String operand) {
		try {
			if (actual instanceof Long id) {
				return Long.compare(id, Long.parseLong(operand.trim()));
			}
			if (actual instanceof Instant time) {
				return time.compareTo(OffsetDateTime.parse(operand.trim()).toInstant());
			}
		}
		catch (NumberFormatException | DateTimeParseException ex) {
			// Not comparable as a number or a time: compare the text, as the API would compare strings.
		}
		return actual.toString().compareTo(operand);
	}

	private boolean like(String actual, boolean ignoreCase) {
		int flags = ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0;
		return Wildcards.compile(this.operand.get(0), '%', '_', flags).matcher(actual).matches();
	}

}

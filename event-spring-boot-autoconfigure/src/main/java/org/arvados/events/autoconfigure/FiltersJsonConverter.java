package org.arvados.events.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.arvados.events.autoconfigure.ArvadosEventsProperties.Filter;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.convert.TypeDescriptor;
import org.springframework.core.convert.converter.ConditionalGenericConverter;

/**
 * Reads {@code arvados.events.filters} given as one JSON string, the way an environment variable
 * ({@code ARVADOS_EVENTS_FILTERS}) or a command-line argument carries it:
 * {@code [["event_type","in",["create","update"]]]}, or objects with {@code attribute}, {@code operator} and
 * {@code operand}. Without it Boot would split the text at commas. Only lists of
 * {@link ArvadosEventsProperties.Filter} are converted; every other list is left to Boot.
 */
class FiltersJsonConverter implements ConditionalGenericConverter {

	private static final String EXAMPLE = "[[\"event_type\",\"in\",[\"create\",\"update\"]]]";

	@Override
	public Set<ConvertiblePair> getConvertibleTypes() {
		return Set.of(new ConvertiblePair(String.class, List.class));
	}

	@Override
	public boolean matches(TypeDescriptor sourceType, TypeDescriptor targetType) {
		TypeDescriptor elementType = targetType.getElementTypeDescriptor();
		return elementType != null && elementType.getType() == Filter.class;
	}

	@Override
	public @Nullable Object convert(@Nullable Object source, TypeDescriptor sourceType, TypeDescriptor targetType) {
		if (source == null) {
			return null;
		}
		JsonNode filters = parse((String) source);
		if (!filters.isArray()) {
			throw new IllegalArgumentException("Arvados filters in one value must be a JSON list, e.g. " + EXAMPLE);
		}
		List<Filter> result = new ArrayList<>();
		for (JsonNode filter : filters) {
			result.add(toFilter(filter));
		}
		return result;
	}

	private static JsonNode parse(String text) {
		try {
			return JsonMapper.shared().readTree(text);
		}
		catch (JacksonException ex) {
			// Not chained: Boot's report gives the root cause's message, and this one says what to write.
			throw new IllegalArgumentException(
					"Arvados filters in one value must be JSON, e.g. " + EXAMPLE + " (" + ex.getOriginalMessage() + ")");
		}
	}

	private static Filter toFilter(JsonNode filter) {
		if (filter.isArray()) {
			return new Filter(text(filter.get(0)), text(filter.get(1)), values(filter.get(2)), values(filter.get(3)),
					null, null, null);
		}
		if (filter.isObject()) {
			return new Filter(null, null, null, null, text(filter.get("attribute")), text(filter.get("operator")),
					values(filter.get("operand")));
		}
		throw new IllegalArgumentException("An Arvados filter is a list, [attribute, operator, operand], not " + filter);
	}

	private static @Nullable String text(@Nullable JsonNode node) {
		if (node == null || node.isNull()) {
			return null;
		}
		if (node.isContainer()) {
			throw new IllegalArgumentException("Expected a value in an Arvados filter, not " + node);
		}
		return node.asString();
	}

	private static @Nullable List<String> values(@Nullable JsonNode node) {
		if (node == null || node.isNull()) {
			return null;
		}
		if (!node.isArray()) {
			return List.of(text(node));
		}
		List<String> values = new ArrayList<>();
		for (JsonNode value : node) {
			String text = text(value);
			if (text == null) {
				throw new IllegalArgumentException("An operand of an Arvados filter is null: " + node);
			}
			values.add(text);
		}
		return values;
	}

}

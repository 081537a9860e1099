package org.arvados.events.test.format;

import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON mappers of the fake cluster, one per real server it imitates.
 *
 * <p>Both servers escape {@code <}, {@code >}, {@code &}, U+2028 and U+2029 (Go's
 * {@code json.Marshal} and Rails' {@code to_json} do), so clients see the same bytes as from
 * a real cluster.
 */
public final class Json {

	/** Go's {@code encoding/json} as used by arvados-ws: map keys sorted. */
	public static final JsonMapper GO = JsonMapper.builder(escapingFactory())
		.enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
		.build();

	/** Rails' {@code to_json} as used by the API server: keys in insertion order. */
	public static final JsonMapper RAILS = JsonMapper.builder(escapingFactory()).build();

	/** Strict reader: like Go's {@code json.Unmarshal}, trailing data is an error. */
	public static final JsonMapper READER = JsonMapper.builder()
		.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
		.build();

	private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {
	};

	private Json() {
	}

	/**
	 * Deep copy of {@code value} as plain JSON values (maps, lists, strings, numbers, booleans,
	 * nulls), as a row read back from the database would be; POJOs and {@code JsonNode}s become
	 * maps, so "is this a JSON object" is a plain {@code instanceof Map} test afterwards.
	 */
	public static Map<String, Object> toPlainMap(Map<String, ?> value) {
		return READER.convertValue(value, MAP);
	}

	private static JsonFactory escapingFactory() {
		return JsonFactory.builder().characterEscapes(new HtmlSafeEscapes()).build();
	}

}

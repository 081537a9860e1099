package org.arvados.events.test.websocket;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.arvados.events.test.format.Json;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;

/**
 * A client frame decoded the way arvados-ws decodes it: {@code json.Unmarshal} into
 * {@code struct {Method string; Filters [][3]interface{}; LastLogID int64}}.
 *
 * <p>Keys match case-insensitively and unknown keys are ignored. Values are kept as Go would hold
 * them (every number a {@code float64}), because {@code unsubscribe} compares filters with
 * {@code reflect.DeepEqual}; a missing or null {@code filters} stays {@code null}, which is not
 * equal to an empty list.
 *
 * @param method the method, {@code ""} when absent
 * @param filters the filters, each padded or cut to three elements, or null when absent
 * @param lastLogId the resume cursor, 0 when absent
 */
record ClientRequest(String method, @Nullable List<List<@Nullable Object>> filters, long lastLogId) {

	/** arvados-ws reads a message through a 4 KiB buffer, frame header included. */
	private static final int GO_READ_BUFFER = 4096;

	/**
	 * How many pieces arvados-ws cuts a message into: its {@code ws.Read} returns what one 4 KiB
	 * buffer holds, so a message over about 4,088 bytes arrives as several invalid JSON pieces,
	 * each answered with {@code {"status":400}}. Clients must keep requests small.
	 */
	static int piecesReadByGo(String text) {
		int length = text.getBytes(StandardCharsets.UTF_8).length;
		int header = 2 + ((length > 125) ? 2 : 0) + ((length > 65535) ? 6 : 0) + 4;
		return (length + header + GO_READ_BUFFER - 1) / GO_READ_BUFFER;
	}

	/** Decodes {@code text}, or returns null where Go's decoder would report an error. */
	static @Nullable ClientRequest parse(String text) {
		Object root;
		try {
			root = Json.READER.readValue(text, Object.class);
		}
		catch (JacksonException ex) {
			return null;
		}
		if (root == null) {
			return new ClientRequest("", null, 0);
		}
		if (!(root instanceof Map<?, ?> fields)) {
			return null;
		}
		String method = "";
		List<List<@Nullable Object>> filters = null;
		long lastLogId = 0;
		for (Map.Entry<?, ?> field : fields.entrySet()) {
			String key = (String) field.getKey();
			Object value = field.getValue();
			if (value == null) {
				continue;  // Go leaves the field as it was
			}
			if (key.equalsIgnoreCase("method")) {
				if (!(value instanceof String string)) {
					return null;
				}
				method = string;
			}
			else if (key.equalsIgnoreCase("filters")) {
				filters = parseFilters(value);
				if (filters == null) {
					return null;
				}
			}
			else if (key.equalsIgnoreCase("last_log_id")) {
				if (!(value instanceof Integer || value instanceof Long)) {
					return null;  // a string, a fraction or more than int64
				}
				lastLogId = ((Number) value).longValue();
			}
		}
		return new ClientRequest(method, filters, lastLogId);
	}

	private static @Nullable List<List<@Nullable Object>> parseFilters(Object value) {
		if (!(value instanceof List<?> list)) {
			return null;
		}
		List<List<@Nullable Object>> filters = new ArrayList<>(list.size());
		for (Object element : list) {
			@Nullable Object[] filter = new Object[3];
			if (element instanceof List<?> parts) {
				for (int i = 0; i < Math.min(3, parts.size()); i++) {
					filter[i] = asGoValue(parts.get(i));
				}
			}
			else if (element != null) {
				return null;
			}
			filters.add(Arrays.asList(filter));
		}
		return filters;
	}

	private static @Nullable Object asGoValue(@Nullable Object value) {
		if (value instanceof Number number && !(value instanceof BigInteger)) {
			return number.doubleValue();
		}
		if (value instanceof BigInteger big) {
			return big.doubleValue();
		}
		if (value instanceof List<?> list) {
			List<@Nullable Object> copy = new ArrayList<>(list.size());
			list.forEach(item -> copy.add(asGoValue(item)));
			return copy;
		}
		if (value instanceof Map<?, ?> map) {
			Map<Object, @Nullable Object> copy = new LinkedHashMap<>();
			map.forEach((k, v) -> copy.put(k, asGoValue(v)));
			return copy;
		}
		return value;
	}

}

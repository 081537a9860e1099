package org.arvados.events.test.format;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Form-style query string decoding ({@code +} is a space), as Go's {@code ParseForm} and Rack do;
 * the first occurrence of a repeated parameter wins, as with Go's {@code Form.Get}.
 */
public final class QueryString {

	private QueryString() {
	}

	/** Decodes a raw (still percent-encoded) query; null or empty gives an empty map. */
	public static Map<String, String> parse(@Nullable String rawQuery) {
		Map<String, String> parameters = new LinkedHashMap<>();
		if (rawQuery == null || rawQuery.isEmpty()) {
			return parameters;
		}
		for (String pair : rawQuery.split("&")) {
			if (pair.isEmpty()) {
				continue;
			}
			int equals = pair.indexOf('=');
			String name = decode((equals < 0) ? pair : pair.substring(0, equals));
			String value = (equals < 0) ? "" : decode(pair.substring(equals + 1));
			parameters.putIfAbsent(name, value);
		}
		return parameters;
	}

	private static String decode(String text) {
		try {
			return URLDecoder.decode(text, StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			return text;  // a malformed escape: keep it literally rather than fail the request
		}
	}

}

package org.arvados.events;

import org.jspecify.annotations.Nullable;

/**
 * Text from the cluster made fit for one log line. Event types, UUIDs, names and the cluster's error messages are
 * anyone's strings: a line break in one would start a forged log line, an escape sequence would rewrite the
 * terminal. Those characters are written as Java escapes instead ({@code \n}, {@code \r}, {@code \t},
 * {@code \u001b}); everything else is left as it is.
 */
public final class LogSafe {

	private LogSafe() {
	}

	/**
	 * The value as text, with line breaks, control and invisible format characters escaped.
	 * @param value the value, e.g. an event type or a map of attributes
	 * @return its text on one line; {@code "null"} for {@code null}
	 */
	public static String forLog(@Nullable Object value) {
		String text = String.valueOf(value);
		int first = 0;
		while (first < text.length() && !unsafe(text.charAt(first))) {
			first++;
		}
		if (first == text.length()) {
			return text;
		}
		StringBuilder safe = new StringBuilder(text.length() + 16).append(text, 0, first);
		for (int i = first; i < text.length(); i++) {
			char c = text.charAt(i);
			if (!unsafe(c)) {
				safe.append(c);
			}
			else if (c == '\n') {
				safe.append("\\n");
			}
			else if (c == '\r') {
				safe.append("\\r");
			}
			else if (c == '\t') {
				safe.append("\\t");
			}
			else {
				safe.append(String.format("\\u%04x", (int) c));
			}
		}
		return safe.toString();
	}

	// Controls (C0, DEL, C1 with NEL), the Unicode line and paragraph separators, and format characters such as
	// the right-to-left override, which make a line read other than it is.
	private static boolean unsafe(char c) {
		if (Character.isISOControl(c)) {
			return true;
		}
		int type = Character.getType(c);
		return type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR || type == Character.FORMAT;
	}

}

package org.arvados.events.filter;

import java.util.regex.Pattern;

/**
 * Wildcard patterns as regular expressions, every other character taken literally: {@code *}/{@code ?} in
 * {@code @EventHandler(objectUuids)}, {@code %}/{@code _} in the API's {@code like} filters.
 */
public final class Wildcards {

	private Wildcards() {
	}

	/**
	 * Compile a wildcard pattern.
	 * @param pattern the pattern
	 * @param any the character that matches any run of characters
	 * @param one the character that matches exactly one character
	 * @param flags {@link Pattern} flags
	 * @return the compiled pattern, to be used with {@code matcher(text).matches()}
	 */
	public static Pattern compile(String pattern, char any, char one, int flags) {
		StringBuilder regex = new StringBuilder();
		for (char c : pattern.toCharArray()) {
			regex.append((c == any) ? ".*" : (c == one) ? "." : Pattern.quote(String.valueOf(c)));
		}
		return Pattern.compile(regex.toString(), flags | Pattern.DOTALL);
	}

}

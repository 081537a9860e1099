package org.arvados.events.test.format;

import tools.jackson.core.SerializableString;
import tools.jackson.core.io.CharacterEscapes;
import tools.jackson.core.io.SerializedString;

import org.jspecify.annotations.Nullable;

/**
 * Escapes the characters Go's {@code json.Marshal} and Rails' {@code to_json} escape by default,
 * in the same lower-case form ({@code \u003c}), on top of JSON's mandatory escapes.
 */
final class HtmlSafeEscapes extends CharacterEscapes {

	private static final long serialVersionUID = 1L;

	private final int[] asciiEscapes;

	HtmlSafeEscapes() {
		this.asciiEscapes = standardAsciiEscapesForJSON();
		for (char c : new char[] { '<', '>', '&' }) {
			this.asciiEscapes[c] = ESCAPE_CUSTOM;
		}
	}

	@Override
	public int[] getEscapeCodesForAscii() {
		return this.asciiEscapes;
	}

	@Override
	public @Nullable SerializableString getEscapeSequence(int ch) {
		return switch (ch) {
			case '<', '>', '&', 0x2028, 0x2029 -> new SerializedString(String.format("\\u%04x", ch));
			default -> null;
		};
	}

}

package org.arvados.events.checkpoint;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a shared store keeps under the key: the lead term that wrote it, and the position, if any was saved yet.
 * The term goes into the checkpoint's own JSON, which {@link Checkpoint#parse} reads past.
 *
 * @param term the lead term, 0 for a value written before terms
 * @param checkpoint the position, or {@code null} when the key holds only a claimed term
 */
record Stored(long term, @Nullable Checkpoint checkpoint) {

	/**
	 * Read what is stored.
	 * @param value the stored text, or {@code null} when the key holds none
	 * @return the term and the position
	 * @throws IllegalArgumentException if the text is neither a checkpoint nor a claimed term
	 */
	static Stored parse(@Nullable String value) {
		if (value == null) {
			return new Stored(0, null);
		}
		JsonNode root = tree(value);
		long term = termOf(root);
		if (root != null && root.isObject() && !root.has("highest") && !root.has("gaps") && !root.has("g")
				&& root.path("v").isInt() && root.path("v").asInt() == 1) {
			return new Stored(term, null);
		}
		return new Stored(term, Checkpoint.parse(value));
	}

	/**
	 * The term of a stored text; 0 when it has none.
	 * @param value the stored text
	 * @return the term
	 * @throws IllegalArgumentException if the text is not JSON, or its term is not a whole number from 0
	 */
	static long termOf(String value) {
		return termOf(tree(value));
	}

	/**
	 * The text to store.
	 * @param term the lead term
	 * @param checkpoint the position, or {@code null} for a claim before any was saved
	 * @param compact whether in the compact form ({@link Checkpoint#toCompactJson()})
	 * @return e.g. {@code {"v":1,"term":7,"highest":1207,"gaps":[]}}
	 */
	static String json(long term, @Nullable Checkpoint checkpoint, boolean compact) {
		if (checkpoint == null) {
			return "{\"v\":1,\"term\":" + term + "}";
		}
		// {"v":1,"highest":… → {"v":1,"term":7,"highest":…
		String json = compact ? checkpoint.toCompactJson() : checkpoint.toJson();
		int version = json.indexOf(',');
		return json.substring(0, version) + ",\"term\":" + term + json.substring(version);
	}

	private static @Nullable JsonNode tree(String value) {
		try {
			return JsonMapper.shared().readTree(value);
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException("Not a checkpoint (not JSON): " + ex.getOriginalMessage());
		}
	}

	private static long termOf(@Nullable JsonNode root) {
		JsonNode term = (root != null) ? root.path("term") : null;
		if (term == null || term.isMissingNode()) {
			return 0;
		}
		if (!term.isIntegralNumber() || !term.canConvertToLong() || term.longValue() < 0) {
			throw new IllegalArgumentException("The lead term must be a whole number from 0, not " + term);
		}
		return term.longValue();
	}

}

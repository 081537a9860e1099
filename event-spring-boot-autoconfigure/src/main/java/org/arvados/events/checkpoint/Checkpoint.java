package org.arvados.events.checkpoint;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole resume position as a checkpoint keeps it: the highest id handled and the ranges of ids below it not
 * handled yet (not seen, or seen but not yet through the handlers). A restart from it repeats nothing that was
 * handled before it was saved, and still asks for every id in its gaps, as Axon's {@code GapAwareTrackingToken}
 * does. Stored as a small JSON text, e.g. {@code {"v":1,"highest":1207,"gaps":[[1190,1190],[1201,1203]]}}.
 *
 * @param highestId the highest id accepted; every id up to it is handled unless it is in a gap
 * @param gaps the ranges of ids below the highest not handled, lowest first, not overlapping
 */
public record Checkpoint(long highestId, List<ResumePosition.Range> gaps) {

	private static final int VERSION = 1;

	/** The compact form: gaps as one string of base-36 differences (see {@link #toCompactJson()}). */
	private static final int COMPACT_VERSION = 2;

	public Checkpoint {
		gaps = List.copyOf(gaps);
		long previous = Long.MIN_VALUE;
		for (ResumePosition.Range gap : gaps) {
			if (gap.from() > gap.to() || gap.from() <= previous || gap.to() > highestId) {
				throw new IllegalArgumentException("Gaps must be ordered, apart and below the highest id " + highestId
						+ ", not " + gaps);
			}
			previous = gap.to();
		}
	}

	/**
	 * A checkpoint with no gaps: everything up to the id is handled.
	 * @param id the id
	 * @return the checkpoint
	 */
	public static Checkpoint after(long id) {
		return new Checkpoint(id, List.of());
	}

	/**
	 * The id up to which every id is handled: where a WebSocket resubscription resumes.
	 */
	public long lowWaterMark() {
		return this.gaps.isEmpty() ? this.highestId : Math.min(this.highestId, this.gaps.get(0).from() - 1);
	}

	/**
	 * The checkpoint as stored.
	 * @return JSON text
	 */
	public String toJson() {
		StringBuilder json = new StringBuilder(32 + 24 * this.gaps.size());
		json.append("{\"v\":").append(VERSION).append(",\"highest\":").append(this.highestId).append(",\"gaps\":[");
		for (int i = 0; i < this.gaps.size(); i++) {
			ResumePosition.Range gap = this.gaps.get(i);
			json.append((i > 0) ? "," : "").append('[').append(gap.from()).append(',').append(gap.to()).append(']');
		}
		return json.append("]}").toString();
	}

	/**
	 * The checkpoint as stored where space is short (Spring Integration's {@code INT_METADATA_STORE} holds 4,000
	 * characters): each gap as the distance from the end of the one before and its length, in base 36, e.g.
	 * {@code {"v":2,"highest":1207,"g":"x2.0,b.2"}}. About a fifth of the plain form's length for gaps a few ids apart.
	 * @return JSON text
	 */
	public String toCompactJson() {
		StringBuilder json = new StringBuilder(32 + 6 * this.gaps.size());
		json.append("{\"v\":").append(COMPACT_VERSION).append(",\"highest\":").append(this.highestId).append(",\"g\":\"");
		long previous = 0;
		for (int i = 0; i < this.gaps.size(); i++) {
			ResumePosition.Range gap = this.gaps.get(i);
			json.append((i > 0) ? "," : "")
				.append(Long.toString(gap.from() - previous, 36))
				.append('.')
				.append(Long.toString(gap.to() - gap.from(), 36));
			previous = gap.to();
		}
		return json.append("\"}").toString();
	}

	/**
	 * Read a stored checkpoint.
	 * @param json the text {@link #toJson()} wrote
	 * @return the checkpoint
	 * @throws IllegalArgumentException if the text is not a checkpoint
	 */
	public static Checkpoint parse(String json) {
		JsonNode root;
		try {
			root = JsonMapper.shared().readTree(json);
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException("Not a checkpoint (not JSON): " + ex.getOriginalMessage());
		}
		if (root != null && root.isObject() && root.path("v").isInt() && root.path("v").asInt() == COMPACT_VERSION
				&& root.path("highest").isIntegralNumber() && root.path("g").isString()) {
			return new Checkpoint(id(root.path("highest"), "The highest id"), compactGaps(root.path("g").asString()));
		}
		if (root == null || !root.isObject() || !root.path("v").isInt() || root.path("v").asInt() != VERSION
				|| !root.path("highest").isIntegralNumber() || !root.path("gaps").isArray()) {
			throw new IllegalArgumentException("Not a checkpoint of version " + VERSION
					+ " ({\"v\":1,\"highest\":<id>,\"gaps\":[[<from>,<to>],…]}) or " + COMPACT_VERSION);
		}
		List<ResumePosition.Range> gaps = new ArrayList<>();
		for (JsonNode gap : root.path("gaps")) {
			if (!gap.isArray() || gap.size() != 2 || !gap.get(0).isIntegralNumber() || !gap.get(1).isIntegralNumber()) {
				throw new IllegalArgumentException("A checkpoint gap must be [<from>,<to>], not " + gap);
			}
			gaps.add(new ResumePosition.Range(id(gap.get(0), "A gap's id"), id(gap.get(1), "A gap's id")));
		}
		return new Checkpoint(id(root.path("highest"), "The highest id"), gaps);
	}

	private static List<ResumePosition.Range> compactGaps(String text) {
		List<ResumePosition.Range> gaps = new ArrayList<>();
		if (text.isEmpty()) {
			return gaps;
		}
		long previous = 0;
		for (String gap : text.split(",", -1)) {
			int dot = gap.indexOf('.');
			try {
				long from = Math.addExact(previous, Long.parseLong(gap.substring(0, Math.max(dot, 0)), 36));
				long to = Math.addExact(from, Long.parseLong(gap.substring(dot + 1), 36));
				gaps.add(new ResumePosition.Range(from, to));
				previous = to;
			}
			catch (NumberFormatException | ArithmeticException | IndexOutOfBoundsException ex) {
				throw new IllegalArgumentException("A compact checkpoint gap must be <distance>.<length> in base 36, "
						+ "not '" + gap + "'");
			}
		}
		return gaps;
	}

	// Jackson reads 18446744073709551617 as a BigInteger, and throws its own exception when asked for a long;
	// a checkpoint that holds one is unreadable as any other, which stops the start instead of retrying.
	private static long id(JsonNode number, String what) {
		if (!number.canConvertToLong()) {
			throw new IllegalArgumentException(what + " must be a whole number from " + Long.MIN_VALUE + " to "
					+ Long.MAX_VALUE + ", not " + number);
		}
		try {
			return number.longValue();
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException(what + " is not a whole number: " + ex.getOriginalMessage());
		}
	}

}

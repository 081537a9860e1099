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
		if (root == null || !root.isObject() || !root.path("v").isInt() || root.path("v").asInt() != VERSION
				|| !root.path("highest").isIntegralNumber() || !root.path("gaps").isArray()) {
			throw new IllegalArgumentException("Not a checkpoint of version " + VERSION
					+ " ({\"v\":1,\"highest\":<id>,\"gaps\":[[<from>,<to>],…]})");
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

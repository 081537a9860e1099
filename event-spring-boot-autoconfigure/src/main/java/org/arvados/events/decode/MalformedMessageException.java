package org.arvados.events.decode;

/**
 * Thrown when a message from the server is not JSON or not an object the protocol knows.
 * The message carries a truncated excerpt of the input, never the whole of it.
 */
public class MalformedMessageException extends RuntimeException {

	private static final int EXCERPT_LENGTH = 200;

	public MalformedMessageException(String reason, String input, Throwable cause) {
		super(reason + ": " + excerpt(input), cause);
	}

	public MalformedMessageException(String reason, String input) {
		super(reason + ": " + excerpt(input));
	}

	static String excerpt(String input) {
		String oneLine = input.replaceAll("\\s+", " ");
		return (oneLine.length() <= EXCERPT_LENGTH) ? "'" + oneLine + "'"
				: "'" + oneLine.substring(0, EXCERPT_LENGTH) + "…' (" + input.length() + " chars)";
	}

}

package org.arvados.events.transport;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

/**
 * Removes the API token from text that is about to be logged. Exceptions from the WebSocket and HTTP
 * clients may quote the URL they tried, and the WebSocket URL must carry the token in its query, so
 * every failure message passes through here before it reaches a log line.
 */
public final class SecretRedactor {

	private static final String MASK = "******";

	private final String token;

	private final String encodedToken;

	public SecretRedactor(String token) {
		this.token = token;
		this.encodedToken = URLEncoder.encode(token, StandardCharsets.UTF_8);
	}

	/**
	 * The text with every occurrence of the token, plain or URL-encoded, masked.
	 * @param text the text
	 * @return the text without the token
	 */
	public String redact(@Nullable String text) {
		if (text == null || this.token.isEmpty()) {
			return String.valueOf(text);
		}
		return text.replace(this.token, MASK).replace(this.encodedToken, MASK);
	}

	/**
	 * The messages of a failure and its causes on one line, without the token: fit for a log line where a
	 * stack trace could not be trusted to leave the token out.
	 * @param failure the failure
	 * @return e.g. {@code DeploymentException: Handshake failed; caused by ConnectException: Connection refused}
	 */
	public String describe(Throwable failure) {
		StringBuilder text = new StringBuilder();
		for (Throwable t = failure; t != null && text.length() < 1000; t = (t.getCause() == t) ? null : t.getCause()) {
			text.append((text.length() > 0) ? "; caused by " : "").append(t.getClass().getSimpleName());
			if (t.getMessage() != null) {
				text.append(": ").append(t.getMessage());
			}
		}
		return redact(text.toString());
	}

}

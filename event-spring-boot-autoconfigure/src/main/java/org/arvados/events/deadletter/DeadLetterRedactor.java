package org.arvados.events.deadletter;

import java.util.regex.Pattern;

import org.arvados.events.transport.SecretRedactor;
import org.jspecify.annotations.Nullable;

import org.springframework.util.StringUtils;

/**
 * Takes API tokens out of a failure's message before it is kept: a handler that calls the cluster may throw an
 * exception that quotes the URL it tried ({@code …?api_token=…}) or the header it sent. A dead letter outlives the
 * log line and is read by other people, so more is masked than in a log line: any Arvados v2 token
 * ({@code v2/zzzzz-gj3su-…/secret}, plain or URL-encoded), any {@code api_token} query value and any {@code Bearer}
 * or {@code OAuth2} credentials, whichever token it is; and the configured token wherever {@link SecretRedactor}
 * finds it (a v1 token has no shape of its own to be recognized by).
 */
public final class DeadLetterRedactor {

	/** Masks tokens by their shape only, for when the configured one is not known. */
	public static final DeadLetterRedactor ANY_TOKEN = new DeadLetterRedactor(null);

	private static final String MASK = "******";

	// The token's UUID (cluster id, gj3su, 15 characters) and its secret; '/' may be URL-encoded.
	private static final Pattern V2_TOKEN = Pattern
		.compile("(?i)v2(?:/|%2F)[a-z0-9]{5}-gj3su-[a-z0-9]{15}(?:/|%2F)[a-z0-9]+");

	// As in SecretRedactor, which masks these only when it has a token to look for.
	private static final Pattern QUERY_VALUE = Pattern.compile("(?i)(api_token=)[^&#\\s\"'<>]+");

	private static final Pattern CREDENTIALS = Pattern.compile("(?i)(\\b(?:Bearer|OAuth2)\\s+)[^\\s\"',;]+");

	private final @Nullable SecretRedactor configured;

	/**
	 * @param token the configured API token, masked wherever it appears as well; {@code null} or blank for none
	 */
	public DeadLetterRedactor(@Nullable String token) {
		this.configured = StringUtils.hasText(token) ? new SecretRedactor(token.trim()) : null;
	}

	/**
	 * The text without tokens.
	 * @param text the text, e.g. an exception's message
	 * @return the text with each token masked; {@code null} for {@code null}
	 */
	public @Nullable String redact(@Nullable String text) {
		if (text == null) {
			return null;
		}
		String masked = V2_TOKEN.matcher(text).replaceAll(MASK);
		masked = QUERY_VALUE.matcher(masked).replaceAll("$1" + MASK);
		masked = CREDENTIALS.matcher(masked).replaceAll("$1" + MASK);
		return (this.configured != null) ? this.configured.redact(masked) : masked;
	}

}

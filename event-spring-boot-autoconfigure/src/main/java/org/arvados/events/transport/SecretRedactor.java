package org.arvados.events.transport;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.arvados.events.LogSafe;
import org.jspecify.annotations.Nullable;

/**
 * Removes the API token from text that is about to be logged. Exceptions from the WebSocket and HTTP
 * clients may quote the URL they tried, and the WebSocket URL must carry the token in its query, so
 * every failure message passes through here before it reaches a log line.
 * <p>
 * The value of an {@code api_token} query parameter and of an {@code Authorization} header's credentials is
 * masked whatever it is. Beyond those, a token of {@value #WHOLE_WORD_BELOW} characters or more is masked wherever
 * it appears (a real Arvados token is a long {@code v2/…/…}); a shorter one, as a test cluster's {@code x}, only
 * where it stands alone, so that it is not masked inside every word of the message.
 */
public final class SecretRedactor {

	private static final String MASK = "******";

	private static final int WHOLE_WORD_BELOW = 8;

	// A URL's query value ends at the next parameter, the fragment, or whatever ends the URL in the text.
	private static final Pattern QUERY_VALUE = Pattern.compile("(?i)(api_token=)[^&#\\s\"'<>]+");

	private static final Pattern CREDENTIALS = Pattern.compile("(?i)(\\b(?:Bearer|OAuth2)\\s+)[^\\s\"',;]+");

	// What a word is made of: a short token inside one of these is part of another word.
	private static final String WORD = "[\\p{Alnum}_-]";

	private final String token;

	private final Pattern standing;

	public SecretRedactor(String token) {
		this.token = token;
		String encoded = URLEncoder.encode(token, StandardCharsets.UTF_8);
		String either = Pattern.quote(token) + (encoded.equals(token) ? "" : "|" + Pattern.quote(encoded));
		this.standing = Pattern.compile((token.length() >= WHOLE_WORD_BELOW) ? either
				: "(?<!" + WORD + ")(?:" + either + ")(?!" + WORD + ")");
	}

	/**
	 * The text with the token, plain or URL-encoded, masked: always in a query's {@code api_token} and in
	 * {@code Bearer} credentials; a long token everywhere, a short one where it stands alone.
	 * @param text the text
	 * @return the text without the token
	 */
	public String redact(@Nullable String text) {
		if (text == null || this.token.isEmpty()) {
			return String.valueOf(text);
		}
		String masked = QUERY_VALUE.matcher(text).replaceAll("$1" + MASK);
		masked = CREDENTIALS.matcher(masked).replaceAll("$1" + MASK);
		return this.standing.matcher(masked).replaceAll(Matcher.quoteReplacement(MASK));
	}

	/**
	 * What went wrong, on one line and without the token: in words for the failures people meet (connection
	 * refused, unknown host, TLS, time-out), else the messages of the failure and its causes, fit for a log line
	 * where a stack trace could not be trusted to leave the token out. The cluster's text in it is escaped
	 * ({@link LogSafe}), so that it stays on that line.
	 * @param failure the failure
	 * @return e.g. {@code connection refused}, or
	 * {@code DeploymentException: Handshake failed; caused by EOFException: …}
	 */
	public String describe(Throwable failure) {
		String words = inWords(failure);
		if (words != null) {
			return LogSafe.forLog(redact(words));
		}
		StringBuilder text = new StringBuilder();
		for (Throwable t = failure; t != null && text.length() < 1000; t = (t.getCause() == t) ? null : t.getCause()) {
			text.append((text.length() > 0) ? "; caused by " : "").append(t.getClass().getSimpleName());
			if (t.getMessage() != null) {
				text.append(": ").append(t.getMessage());
			}
		}
		return LogSafe.forLog(redact(text.toString()));
	}

	// The JDK's messages for these are often null or cryptic ("null; caused by ConnectException").
	private static @Nullable String inWords(Throwable failure) {
		for (Throwable t = failure; t != null; t = (t.getCause() == t) ? null : t.getCause()) {
			if (t instanceof HandshakeRedirectException) {
				return t.getMessage();
			}
			if (answeredInPlainHttp(t)) {
				return "the server answered in plain HTTP, not TLS: is the endpoint's scheme right (https:// or wss:// "
						+ "to a port that speaks http://)?" + detail(t);
			}
			if (t instanceof java.net.ConnectException) {
				return "connection refused" + detail(t);
			}
			if (t instanceof java.net.UnknownHostException) {
				return "unknown host" + detail(t);
			}
			if (t instanceof java.net.NoRouteToHostException) {
				return "no route to host" + detail(t);
			}
			if (t instanceof javax.net.ssl.SSLHandshakeException || t instanceof java.security.cert.CertificateException) {
				return "TLS handshake failed (is the certificate trusted? see arvados.events.ssl.bundle)" + detail(t);
			}
			if (t instanceof java.net.http.HttpTimeoutException || t instanceof java.net.SocketTimeoutException
					|| t instanceof java.util.concurrent.TimeoutException) {
				return "timed out" + detail(t);
			}
		}
		return null;
	}

	// The JDK says "Unsupported or unrecognized SSL message" (before 11: "Unrecognized SSL message, plaintext
	// connection?"); Netty throws NotSslRecordException, which is not an SSLException.
	private static boolean answeredInPlainHttp(Throwable t) {
		if (t.getClass().getSimpleName().equals("NotSslRecordException")) {
			return true;
		}
		String message = (t.getMessage() != null) ? t.getMessage().toLowerCase(Locale.ROOT) : "";
		return t instanceof javax.net.ssl.SSLException
				&& (message.contains("unrecognized ssl message") || message.contains("plaintext connection"));
	}

	private static String detail(Throwable t) {
		String message = t.getMessage();
		return (message == null || message.isBlank()) ? "" : " (" + message + ")";
	}

}

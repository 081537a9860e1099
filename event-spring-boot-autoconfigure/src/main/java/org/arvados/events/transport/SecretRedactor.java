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
	 * What went wrong, on one line and without the token: in words for the failures people meet (connection
	 * refused, unknown host, TLS, time-out), else the messages of the failure and its causes, fit for a log line
	 * where a stack trace could not be trusted to leave the token out.
	 * @param failure the failure
	 * @return e.g. {@code connection refused}, or
	 * {@code DeploymentException: Handshake failed; caused by EOFException: …}
	 */
	public String describe(Throwable failure) {
		String words = inWords(failure);
		if (words != null) {
			return redact(words);
		}
		StringBuilder text = new StringBuilder();
		for (Throwable t = failure; t != null && text.length() < 1000; t = (t.getCause() == t) ? null : t.getCause()) {
			text.append((text.length() > 0) ? "; caused by " : "").append(t.getClass().getSimpleName());
			if (t.getMessage() != null) {
				text.append(": ").append(t.getMessage());
			}
		}
		return redact(text.toString());
	}

	// The JDK's messages for these are often null or cryptic ("null; caused by ConnectException").
	private static @Nullable String inWords(Throwable failure) {
		for (Throwable t = failure; t != null; t = (t.getCause() == t) ? null : t.getCause()) {
			if (t instanceof HandshakeRedirectException) {
				return t.getMessage();
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

	private static String detail(Throwable t) {
		String message = t.getMessage();
		return (message == null || message.isBlank()) ? "" : " (" + message + ")";
	}

}

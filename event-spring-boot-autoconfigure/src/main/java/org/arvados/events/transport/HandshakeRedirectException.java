package org.arvados.events.transport;

import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * The WebSocket handshake was answered with a redirect, which the starter's clients do not follow: the token is in
 * the URL's query, and a proxy's redirect (an nginx {@code $request_uri}, say) would carry it to wherever it points,
 * in clear text when that is {@code http://}. The message names the redirect's origin only, never its query.
 */
public final class HandshakeRedirectException extends IOException {

	// Tomcat's "redirect threshold" message quotes the location in brackets, in every language it ships.
	private static final Pattern BRACKETED_URL = Pattern.compile("\\[(\\w+://[^\\]\\s]+)]");

	/**
	 * @param status the HTTP status, or -1 when the client does not say
	 * @param location where the redirect pointed (a Location header's value), if known
	 */
	public HandshakeRedirectException(int status, @Nullable String location) {
		super(Redirects.describe("The WebSocket handshake", status, Redirects.parse(location),
				"arvados.events.websocket.url to where the event server really is"));
	}

	/**
	 * Tomcat's client fails a handshake whose redirect it may not follow (its {@code MAX_REDIRECTIONS} is 0) with a
	 * {@code DeploymentException} that quotes the location, query and all: that failure, said without the query.
	 * @param failure what the client failed with
	 * @return the redirect, or {@code null} if the failure is not one
	 */
	static @Nullable HandshakeRedirectException fromTomcat(Throwable failure) {
		for (Throwable t = failure; t != null; t = (t.getCause() == t) ? null : t.getCause()) {
			if (t.getClass().getName().equals("jakarta.websocket.DeploymentException") && t.getMessage() != null) {
				Matcher location = BRACKETED_URL.matcher(t.getMessage());
				if (location.find()) {
					return new HandshakeRedirectException(-1, location.group(1));
				}
			}
		}
		return null;
	}

}

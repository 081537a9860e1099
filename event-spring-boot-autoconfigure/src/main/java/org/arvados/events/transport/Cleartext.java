package org.arvados.events.transport;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where the token may travel unencrypted. It goes in a header to the API and in the WebSocket URL's query, so a
 * plain {@code http://} or {@code ws://} URL hands it to everyone on the path. Allowed to loopback only (a test's
 * fake cluster, a local proxy), or when {@code arvados.events.insecure} says the cluster is a test one.
 */
public final class Cleartext {

	private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

	private Cleartext() {
	}

	/**
	 * Whether the token may be sent to this URL.
	 * @param url an http(s) or ws(s) URL
	 * @param insecure whether TLS checks are off anyway
	 * @return whether it is encrypted, on loopback, or insecure is set
	 */
	public static boolean allowed(URI url, boolean insecure) {
		String scheme = String.valueOf(url.getScheme()).toLowerCase(Locale.ROOT);
		return insecure || scheme.equals("https") || scheme.equals("wss") || isLoopback(url.getHost());
	}

	// By the literal only: a name other than localhost is not looked up, since what it resolves to can change.
	private static boolean isLoopback(String host) {
		if (host == null) {
			return false;
		}
		if (host.equalsIgnoreCase("localhost")) {
			return true;
		}
		boolean ipv6 = host.startsWith("[") && host.endsWith("]");
		if (!ipv6 && !IPV4.matcher(host).matches()) {
			return false;
		}
		try {
			return InetAddress.getByName(ipv6 ? host.substring(1, host.length() - 1) : host).isLoopbackAddress();
		}
		catch (UnknownHostException ex) {
			return false;
		}
	}

}

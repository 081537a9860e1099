package org.arvados.events.transport;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The TLS context behind {@code arvados.events.insecure}: trusts any certificate and any host name, like
 * {@code ARVADOS_API_HOST_INSECURE} in the other Arvados tools. An {@link X509ExtendedTrustManager} is
 * needed because with a plain {@code X509TrustManager} the JDK still checks the host name.
 */
public final class TrustEverythingSslContext {

	private TrustEverythingSslContext() {
	}

	/**
	 * A new TLS context that verifies nothing.
	 * @return the context
	 */
	public static SSLContext create() {
		try {
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(null, new TrustManager[] { new TrustEverything() }, new SecureRandom());
			return context;
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Cannot create a TLS context", ex);
		}
	}

	private static final class TrustEverything extends X509ExtendedTrustManager {

		@Override
		public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
		}

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
		}

		@Override
		public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
		}

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
		}

		@Override
		public void checkClientTrusted(X509Certificate[] chain, String authType) {
		}

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType) {
		}

		@Override
		public X509Certificate[] getAcceptedIssuers() {
			return new X509Certificate[0];
		}

	}

}

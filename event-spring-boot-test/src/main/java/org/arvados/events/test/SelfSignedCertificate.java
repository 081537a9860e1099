package org.arvados.events.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throw-away self-signed certificate for {@code CN=localhost} (SAN {@code ip:127.0.0.1},
 * {@code dns:localhost}), made by the JDK's {@code keytool} so no crypto library is needed.
 *
 * <p>Serve a {@link FakeArvadosCluster} with {@link #serverContext()}; a client trusting
 * {@link #trustStorePath()} (or using {@link #clientContext()}) connects, any other client must
 * refuse the certificate. Files live in a temporary directory deleted when the JVM exits.
 */
public final class SelfSignedCertificate {

	private static final String ALIAS = "localhost";

	private final Path keyStorePath;

	private final Path trustStorePath;

	private final String password;

	private final KeyStore keyStore;

	private final KeyStore trustStore;

	private SelfSignedCertificate(Path keyStorePath, Path trustStorePath, String password, KeyStore keyStore,
			KeyStore trustStore) {
		this.keyStorePath = keyStorePath;
		this.trustStorePath = trustStorePath;
		this.password = password;
		this.keyStore = keyStore;
		this.trustStore = trustStore;
	}

	/** Generates a new key pair and certificate (EC P-256, valid 30 days). */
	public static SelfSignedCertificate generate() {
		try {
			Path directory = Files.createTempDirectory("fake-arvados-tls");
			Path keyStorePath = directory.resolve("localhost.p12");
			Path trustStorePath = directory.resolve("truststore.p12");
			String password = UUID.randomUUID().toString();
			runKeytool(keyStorePath, password);
			KeyStore keyStore = load(keyStorePath, password);
			KeyStore trustStore = KeyStore.getInstance("PKCS12");
			trustStore.load(null, null);
			trustStore.setCertificateEntry(ALIAS, keyStore.getCertificate(ALIAS));
			try (OutputStream out = Files.newOutputStream(trustStorePath)) {
				trustStore.store(out, password.toCharArray());
			}
			for (Path path : List.of(keyStorePath, trustStorePath, directory)) {
				path.toFile().deleteOnExit();
			}
			return new SelfSignedCertificate(keyStorePath, trustStorePath, password, keyStore, trustStore);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not create a self-signed certificate", ex);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Could not create a self-signed certificate", ex);
		}
	}

	/** The PKCS12 key store holding the private key and certificate under alias {@code localhost}. */
	public Path keyStorePath() {
		return this.keyStorePath;
	}

	/** A PKCS12 trust store holding only the certificate, for clients. */
	public Path trustStorePath() {
		return this.trustStorePath;
	}

	/** The password of both stores and of the key. */
	public String password() {
		return this.password;
	}

	public X509Certificate certificate() {
		try {
			return (X509Certificate) this.keyStore.getCertificate(ALIAS);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** A TLS context presenting this certificate, for {@link FakeArvadosCluster.Builder#tls}. */
	public SSLContext serverContext() {
		try {
			KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
			keys.init(this.keyStore, this.password.toCharArray());
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(keys.getKeyManagers(), null, null);
			return context;
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Could not build the server TLS context", ex);
		}
	}

	/** A TLS context trusting only this certificate, for clients in tests. */
	public SSLContext clientContext() {
		try {
			TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			trust.init(this.trustStore);
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(null, trust.getTrustManagers(), null);
			return context;
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Could not build the client TLS context", ex);
		}
	}

	private static void runKeytool(Path keyStorePath, String password) throws IOException {
		Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
		Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", ALIAS, "-keyalg", "EC",
				"-groupname", "secp256r1", "-sigalg", "SHA256withECDSA", "-dname", "CN=localhost", "-ext",
				"SAN=ip:127.0.0.1,dns:localhost", "-validity", "30", "-storetype", "PKCS12", "-keystore",
				keyStorePath.toString(), "-storepass", password, "-keypass", password)
			.redirectErrorStream(true)
			.start();
		try (InputStream output = process.getInputStream()) {
			String text = new String(output.readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
				process.destroyForcibly();
				throw new IOException("keytool failed: " + text);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			process.destroyForcibly();
			throw new IOException("Interrupted while running keytool", ex);
		}
	}

	private static KeyStore load(Path path, String password) throws IOException, GeneralSecurityException {
		KeyStore store = KeyStore.getInstance("PKCS12");
		try (InputStream in = Files.newInputStream(path)) {
			store.load(in, password.toCharArray());
		}
		return store;
	}

}

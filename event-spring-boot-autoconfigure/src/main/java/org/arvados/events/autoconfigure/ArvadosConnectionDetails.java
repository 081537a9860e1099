package org.arvados.events.autoconfigure;

import java.net.URI;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * Where the Arvados cluster is and how to authenticate. By default it comes from {@code arvados.events.*} and the
 * {@code ARVADOS_API_*} environment variables ({@link PropertiesArvadosConnectionDetails}); a bean of this type
 * replaces that, as a test kit's embedded cluster does.
 */
public interface ArvadosConnectionDetails extends ConnectionDetails {

	/**
	 * The API base URL, without a trailing slash.
	 * @return the endpoint
	 */
	URI endpoint();

	/**
	 * The API token. Never to be logged.
	 * @return the token
	 */
	String token();

	/**
	 * Whether TLS verification is off.
	 * @return {@code true} to trust any certificate and host name
	 */
	default boolean insecure() {
		return false;
	}

	/**
	 * The name of the Spring Boot SSL bundle that says whom to trust.
	 * @return the bundle's name, {@code null} for the JDK's trust store
	 */
	default @Nullable String sslBundle() {
		return null;
	}

	/**
	 * Details for a cluster verified with the JDK's trust store.
	 * @param endpoint the API base URL
	 * @param token the API token
	 * @return the details
	 */
	static ArvadosConnectionDetails of(URI endpoint, String token) {
		Assert.notNull(endpoint, "'endpoint' must not be null");
		Assert.isTrue(StringUtils.hasText(token), "'token' must not be empty");
		return new ArvadosConnectionDetails() {

			@Override
			public URI endpoint() {
				return endpoint;
			}

			@Override
			public String token() {
				return token;
			}

			// Never print the token.
			@Override
			public String toString() {
				return "ArvadosConnectionDetails[endpoint=" + endpoint + "]";
			}

		};
	}

}

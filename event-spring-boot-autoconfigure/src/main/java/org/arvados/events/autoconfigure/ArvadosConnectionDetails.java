package org.arvados.events.autoconfigure;

import java.net.URI;
import java.util.Locale;
import java.util.Set;

import org.arvados.events.autoconfigure.MissingArvadosSettingException.Setting;
import org.jspecify.annotations.Nullable;

import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Where the cluster is and how to authenticate: from {@code arvados.events.*}, else from the environment
 * variables every Arvados tool reads ({@code ARVADOS_API_HOST}, {@code ARVADOS_API_TOKEN},
 * {@code ARVADOS_API_HOST_INSECURE}).
 *
 * @param endpoint the API base URL, without a trailing slash
 * @param token the API token
 * @param insecure whether TLS verification is off
 * @param sslBundle the name of the Spring Boot SSL bundle that says whom to trust, {@code null} for the JDK's
 * trust store
 */
public record ArvadosConnectionDetails(URI endpoint, String token, boolean insecure, @Nullable String sslBundle) {

	/**
	 * Resolve the details.
	 * @param properties the bound properties
	 * @param environment where the environment variables are read from
	 * @return the details
	 * @throws MissingArvadosSettingException if the endpoint or the token is set nowhere
	 */
	public static ArvadosConnectionDetails resolve(ArvadosEventsProperties properties, Environment environment) {
		String endpoint = firstText(properties.getEndpoint(), environment.getProperty("ARVADOS_API_HOST"));
		if (endpoint == null) {
			throw new MissingArvadosSettingException(Setting.ENDPOINT);
		}
		String token = firstText(properties.getToken(), environment.getProperty("ARVADOS_API_TOKEN"));
		if (token == null) {
			throw new MissingArvadosSettingException(Setting.TOKEN);
		}
		Boolean insecure = properties.getInsecure();
		if (insecure == null) {
			insecure = isFlagSet(environment, "ARVADOS_API_HOST_INSECURE");
		}
		String sslBundle = StringUtils.hasText(properties.getSsl().getBundle()) ? properties.getSsl().getBundle() : null;
		if (sslBundle != null && Boolean.TRUE.equals(properties.getInsecure())) {
			throw new IllegalStateException(
					"Set either arvados.events.ssl.bundle or arvados.events.insecure=true, not both");
		}
		// An SSL bundle says whom to trust: ARVADOS_API_HOST_INSECURE from the environment does not overrule it.
		return new ArvadosConnectionDetails(toUrl(endpoint), token.trim(), insecure && sslBundle == null, sslBundle);
	}

	/**
	 * Whether an Arvados flag variable is set, read as the Python SDK's {@code flag_is_true} does.
	 * @param environment where to read it
	 * @param name the variable
	 * @return whether it is 1, t, true, y or yes, in any case
	 */
	static boolean isFlagSet(Environment environment, String name) {
		String value = environment.getProperty(name, "").trim().toLowerCase(Locale.ROOT);
		return Set.of("1", "t", "true", "y", "yes").contains(value);
	}

	// A bare host[:port], as ARVADOS_API_HOST usually holds, means https.
	static URI toUrl(String endpoint) {
		String url = endpoint.trim();
		if (!url.contains("://")) {
			url = "https://" + url;
		}
		while (url.endsWith("/")) {
			url = url.substring(0, url.length() - 1);
		}
		URI uri;
		try {
			uri = URI.create(url);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("arvados.events.endpoint is not a URL: '" + endpoint + "'");
		}
		if (uri.getHost() == null || !(url.startsWith("http://") || url.startsWith("https://"))) {
			throw new IllegalArgumentException(
					"arvados.events.endpoint must be an http(s) URL or a host[:port], not '" + endpoint + "'");
		}
		return uri;
	}

	private static @Nullable String firstText(@Nullable String first, @Nullable String second) {
		return StringUtils.hasText(first) ? first : (StringUtils.hasText(second) ? second : null);
	}

	// Never print the token.
	@Override
	public String toString() {
		return "ArvadosConnectionDetails[endpoint=" + this.endpoint + ", insecure=" + this.insecure + ", sslBundle="
				+ this.sslBundle + "]";
	}

}

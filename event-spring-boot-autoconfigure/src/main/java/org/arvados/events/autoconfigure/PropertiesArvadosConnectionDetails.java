package org.arvados.events.autoconfigure;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;

import org.arvados.events.autoconfigure.MissingArvadosSettingException.Setting;
import org.arvados.events.transport.Cleartext;
import org.jspecify.annotations.Nullable;

import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * {@link ArvadosConnectionDetails} from {@code arvados.events.*}, else from the environment variables every
 * Arvados tool reads ({@code ARVADOS_API_HOST}, {@code ARVADOS_API_TOKEN}, {@code ARVADOS_API_HOST_INSECURE}).
 * Resolved once, when it is created, so that a missing endpoint or token stops start-up.
 */
public class PropertiesArvadosConnectionDetails implements ArvadosConnectionDetails {

	private static final Set<String> TRUE_FLAGS = Set.of("1", "t", "true", "y", "yes");

	private final URI endpoint;

	private final String token;

	private final boolean insecure;

	private final @Nullable String sslBundle;

	/**
	 * Resolve the details.
	 * @param properties the bound properties
	 * @param environment where the environment variables are read from
	 * @throws MissingArvadosSettingException if the endpoint or the token is set nowhere (blank, or a
	 * {@code ${…}} placeholder that nothing resolved, counts as not set)
	 * @throws IllegalArgumentException if the endpoint is not an http(s) URL or a host[:port]
	 * @throws CleartextEndpointException if the endpoint is plain http:// off loopback and insecure is not set
	 */
	public PropertiesArvadosConnectionDetails(ArvadosEventsProperties properties, Environment environment) {
		boolean endpointFromProperty = !isUnset(properties.getEndpoint());
		String endpoint = firstSet(properties.getEndpoint(), environment.getProperty("ARVADOS_API_HOST"));
		if (endpoint == null) {
			throw new MissingArvadosSettingException(Setting.ENDPOINT);
		}
		String token = firstSet(properties.getToken(), environment.getProperty("ARVADOS_API_TOKEN"));
		if (token == null) {
			throw new MissingArvadosSettingException(Setting.TOKEN);
		}
		Boolean insecure = properties.getInsecure();
		if (insecure == null) {
			insecure = isFlagSet(environment, "ARVADOS_API_HOST_INSECURE");
		}
		String sslBundle = StringUtils.hasText(properties.getSsl().getBundle()) ? properties.getSsl().getBundle() : null;
		try {
			this.endpoint = toUrl(endpoint);
		}
		catch (IllegalArgumentException ex) {
			// The property was checked when it was bound; the variable is read only here. Not chained: the cause
			// says the same without the name.
			String source = endpointFromProperty ? Setting.ENDPOINT.property() : Setting.ENDPOINT.variable();
			throw new IllegalArgumentException(source + " " + ex.getMessage());
		}
		this.token = token.trim();
		// An SSL bundle says whom to trust: ARVADOS_API_HOST_INSECURE from the environment does not overrule it.
		this.insecure = insecure && sslBundle == null;
		if (!Cleartext.allowed(this.endpoint, this.insecure)) {
			throw new CleartextEndpointException(this.endpoint);
		}
		this.sslBundle = sslBundle;
	}

	@Override
	public URI endpoint() {
		return this.endpoint;
	}

	@Override
	public String token() {
		return this.token;
	}

	@Override
	public boolean insecure() {
		return this.insecure;
	}

	@Override
	public @Nullable String sslBundle() {
		return this.sslBundle;
	}

	// Never print the token.
	@Override
	public String toString() {
		return "PropertiesArvadosConnectionDetails[endpoint=" + this.endpoint + ", insecure=" + this.insecure
				+ ", sslBundle=" + this.sslBundle + "]";
	}

	/**
	 * Whether an Arvados flag variable is set, read as the Python SDK's {@code flag_is_true} does.
	 * @param environment where to read it
	 * @param name the variable
	 * @return whether it is 1, t, true, y or yes, in any case
	 */
	static boolean isFlagSet(Environment environment, String name) {
		return TRUE_FLAGS.contains(environment.getProperty(name, "").trim().toLowerCase(Locale.ROOT));
	}

	/**
	 * Whether a value counts as not set: empty, blank, or a placeholder that nothing resolved. Boot's binder
	 * leaves {@code ${ARVADOS_API_TOKEN}} as it is when the variable is unset, and that text is no token.
	 * @param value the value
	 * @return whether it is as good as missing
	 */
	static boolean isUnset(@Nullable String value) {
		return !StringUtils.hasText(value) || value.contains("${");
	}

	/**
	 * What is wrong with a configured endpoint.
	 * @param endpoint the value of {@code arvados.events.endpoint}
	 * @return why it is not usable, or {@code null} if it is fine or not set
	 */
	static @Nullable String endpointProblem(@Nullable String endpoint) {
		if (isUnset(endpoint)) {
			return null;
		}
		try {
			toUrl(endpoint);
			return null;
		}
		catch (IllegalArgumentException ex) {
			return ex.getMessage();
		}
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
			uri = new URI(url);
		}
		catch (URISyntaxException ex) {
			throw new IllegalArgumentException("must be an http(s) URL or a host[:port], and '" + endpoint
					+ "' is not a URL (" + ex.getReason() + ")");
		}
		if (uri.getHost() == null || !(url.startsWith("http://") || url.startsWith("https://"))) {
			throw new IllegalArgumentException("must be an http(s) URL or a host[:port], not '" + endpoint + "'");
		}
		if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
			throw new IllegalArgumentException("must be the API's base URL, without a query or fragment, not '"
					+ endpoint + "'");
		}
		return uri;
	}

	private static @Nullable String firstSet(@Nullable String first, @Nullable String second) {
		return !isUnset(first) ? first : (!isUnset(second) ? second : null);
	}

}

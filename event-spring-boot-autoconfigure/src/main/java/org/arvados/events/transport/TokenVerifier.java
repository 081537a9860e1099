package org.arvados.events.transport;

import java.net.URI;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * Checks the API token as arvados-ws itself does, with {@code GET {endpoint}/arvados/v1/users/current}. The
 * WebSocket server accepts any token and silently drops the events it may not show, so a wrong token can only be
 * told from the API.
 */
public final class TokenVerifier {

	private static final String CURRENT_USER = "/arvados/v1/users/current";

	private final URI endpoint;

	private final String token;

	private final RestClient restClient;

	public TokenVerifier(URI endpoint, String token, RestClient restClient) {
		this.endpoint = endpoint;
		this.token = token;
		this.restClient = restClient;
	}

	/**
	 * Ask the API whose token this is.
	 * @throws TokenRejectedException on 401 or 403
	 * @throws org.springframework.web.client.RestClientException if the API cannot be asked, or answers anything but
	 * a 2xx (a redirect is not followed)
	 */
	public void verify() {
		this.restClient.get()
			.uri(this.endpoint + CURRENT_USER)
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + this.token)
			.retrieve()
			.onStatus(TokenRejectedException::isRejection,
					(request, response) -> {
						throw new TokenRejectedException(this.endpoint, response.getStatusCode().value());
					})
			.onStatus(HttpStatusCode::is3xxRedirection, (request, response) -> {
				throw Redirects.notFollowed(this.endpoint + CURRENT_USER, response.getStatusCode().value(),
						response.getHeaders().getLocation());
			})
			// The status, not the body: an error page says nothing a log line needs. Only a 2xx names a user.
			.onStatus((status) -> !status.is2xxSuccessful(), (request, response) -> {
				throw new RestClientException(
						this.endpoint + CURRENT_USER + " answered HTTP " + response.getStatusCode().value());
			})
			.toBodilessEntity();
	}

	// Never print the token.
	@Override
	public String toString() {
		return "TokenVerifier[" + this.endpoint + "]";
	}

}

package org.arvados.events.transport;

import java.net.URI;

/**
 * The endpoint answered, but not as an Arvados API server: its discovery document is missing or is not JSON.
 * Usually a wrong {@code arvados.events.endpoint} (a Workbench URL, a proxy's error page). Retrying soon will not
 * help. The message names the status and the content type, never the body.
 */
public class NotAnArvadosApiException extends RuntimeException {

	public NotAnArvadosApiException(URI endpoint, String answer) {
		super(endpoint + " is not an Arvados API server: its discovery document "
				+ "(/discovery/v1/apis/arvados/v1/rest) " + answer + "; check arvados.events.endpoint or ARVADOS_API_HOST");
	}

}

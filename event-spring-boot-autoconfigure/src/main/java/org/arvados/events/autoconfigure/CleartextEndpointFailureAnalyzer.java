package org.arvados.events.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a plain {@code http://} endpoint into two lines saying what to set, instead of a stack trace.
 */
class CleartextEndpointFailureAnalyzer extends AbstractFailureAnalyzer<CleartextEndpointException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, CleartextEndpointException cause) {
		return new FailureAnalysis(cause.getMessage() + " (in a header to the API and in the WebSocket URL).",
				"Use the cluster's https:// URL in arvados.events.endpoint (or ARVADOS_API_HOST), or set "
						+ "arvados.events.insecure=true (or ARVADOS_API_HOST_INSECURE) for a test cluster.",
				cause);
	}

}

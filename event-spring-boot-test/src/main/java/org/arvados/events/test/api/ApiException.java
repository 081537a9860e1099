package org.arvados.events.test.api;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An error the fake API server answers with Arvados' error body; 422 is Rails' default status for
 * bad parameters.
 */
final class ApiException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final int status;

	ApiException(int status, String message) {
		super(message);
		this.status = status;
	}

	static ApiException unprocessable(String message) {
		return new ApiException(422, message);
	}

	/** A failure injected by a test, with the message a real deployment would give. */
	static ApiException injected(int status) {
		String message = switch (status) {
			case 401 -> "Not logged in";
			case 403 -> "Forbidden";
			case 404 -> "Not Found";
			case 422 -> "Unprocessable Entity";
			case 502 -> "Bad Gateway";
			case 503 -> "Service Unavailable";
			case 504 -> "Gateway Timeout";
			default -> (status >= 500) ? "Internal Server Error" : "Request failed";
		};
		return new ApiException(status, message);
	}

	int status() {
		return this.status;
	}

	/**
	 * Rails' {@code send_error} body: the request id appended to the message, and an error token
	 * (time and random hex) to look the error up in server logs.
	 */
	Map<String, Object> body() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		StringBuilder requestId = new StringBuilder("req-");
		random.ints(20, 0, 36).forEach((digit) -> requestId.append(Character.forDigit(digit, 36)));
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("errors", List.of(getMessage() + " (" + requestId + ")"));
		body.put("error_token", Instant.now().getEpochSecond() + "+" + String.format("%08x", random.nextInt()));
		return body;
	}

}

package org.arvados.events.subscription;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.arvados.events.filter.EventFilter;

import org.springframework.util.backoff.BackOff;

/**
 * What a subscription needs to know, resolved from the properties and the environment.
 *
 * @param endpoint the API base URL, for log lines
 * @param token the API token
 * @param filters the filters, sent to the server and applied again on each event
 * @param startFrom where to start
 * @param reconnectBackOff the waits between connection attempts
 * @param heartbeatTimeout how long a connection may stay silent before it is presumed dead
 */
public record SubscriptionSettings(URI endpoint, String token, List<EventFilter> filters, StartFrom startFrom,
		BackOff reconnectBackOff, Duration heartbeatTimeout) {

	// The token must not reach a log line through a printed settings object.
	@Override
	public String toString() {
		return "SubscriptionSettings[endpoint=" + this.endpoint + ", filters=" + this.filters + ", startFrom="
				+ this.startFrom + ", heartbeatTimeout=" + this.heartbeatTimeout + "]";
	}

}

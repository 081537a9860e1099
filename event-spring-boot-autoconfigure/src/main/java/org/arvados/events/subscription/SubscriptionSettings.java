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
 * @param transport which transports may carry the events
 * @param reconnectBackOff the waits between connection attempts, and between failed polls
 * @param heartbeatTimeout how long a connection may stay silent before it is presumed dead
 * @param tokenCheckInterval while live on the WebSocket, how often to ask the API whether the token is still good
 * @param websocketAttempts failed WebSocket attempts in a row after which {@link Transport#AUTO} polls instead
 * @param websocketRetryInterval while polling, how often to try the WebSocket again
 * @param pollInterval the wait after a poll that reached the newest event
 * @param pollLimit the most events to ask for in one page of the logs list
 * @param pollInitialWindow how far back "latest" looks for the newest event to start after
 */
public record SubscriptionSettings(URI endpoint, String token, List<EventFilter> filters, StartFrom startFrom,
		Transport transport, BackOff reconnectBackOff, Duration heartbeatTimeout, Duration tokenCheckInterval,
		int websocketAttempts,
		Duration websocketRetryInterval, Duration pollInterval, int pollLimit, Duration pollInitialWindow) {

	// The token must not reach a log line through a printed settings object.
	@Override
	public String toString() {
		return "SubscriptionSettings[endpoint=" + this.endpoint + ", filters=" + this.filters + ", startFrom="
				+ this.startFrom + ", transport=" + this.transport + ", heartbeatTimeout=" + this.heartbeatTimeout
				+ ", pollInterval=" + this.pollInterval + "]";
	}

}

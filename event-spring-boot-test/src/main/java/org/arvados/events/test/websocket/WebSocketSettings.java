package org.arvados.events.test.websocket;

import java.time.Duration;

/**
 * The arvados-ws configuration the fake honours.
 *
 * @param clientQueueCapacity {@code API.WebsocketClientEventQueue}: frames a connection may have
 * waiting before a live event closes it
 * @param keepaliveInterval {@code API.SendTimeout}: the keepalive period and the write deadline
 * @param replayWindow how old a row may be and still be replayed for {@code last_log_id}
 * (hard-coded to 10 minutes in arvados-ws)
 */
public record WebSocketSettings(int clientQueueCapacity, Duration keepaliveInterval, Duration replayWindow) {

	public WebSocketSettings {
		if (clientQueueCapacity < 1) {
			throw new IllegalArgumentException("clientQueueCapacity must be positive");
		}
		if (keepaliveInterval.isNegative() || keepaliveInterval.isZero()) {
			throw new IllegalArgumentException("keepaliveInterval must be positive");
		}
		if (replayWindow.isNegative()) {
			throw new IllegalArgumentException("replayWindow must not be negative");
		}
	}

}

package org.arvados.events.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.arvados.events.deadletter.DeadLetters;
import org.arvados.events.lifecycle.StreamPhase;
import org.arvados.events.lifecycle.StreamRole;
import org.arvados.events.retry.HeldEvent;
import org.arvados.events.retry.HeldEvents;
import org.arvados.events.subscription.ArvadosEventSubscription;
import org.arvados.events.subscription.SubscriptionState;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * The health of the event stream, from the subscription's cached {@link SubscriptionState} (no I/O):
 * <ul>
 * <li>UP while events flow, over WebSocket or by polling;</li>
 * <li>DOWN at once when waiting will not help (the API rejects the token, the endpoint is not an Arvados API, the
 * dispatching thread died), or when nothing has flowed for {@code down-after};</li>
 * <li>UNKNOWN while connecting or reconnecting, before that;</li>
 * <li>OUT_OF_SERVICE once stopped, UP while standing by for a leader election.</li>
 * </ul>
 * Details: {@code role} (with a leader election), {@code phase}, {@code mode}, {@code connected}, {@code endpoint} (the host only), {@code lastEventId},
 * {@code lastEventAt}, {@code lastEventAge}, {@code reconnects}, {@code queueDepth}, {@code reason} (why events do not flow), {@code lastError}, and
 * {@code held}: each event held by {@code handler-retry.exhausted: hold} (its id, handler, attempts, since when and
 * the last error; the status stays what the stream's is), and {@code deadLetters}, how many are kept (with
 * {@code handler-retry.exhausted: dead-letter}). None of them carries the token.
 */
public class ArvadosEventsHealthIndicator extends AbstractHealthIndicator {

	private final ArvadosEventSubscription subscription;

	private final String host;

	private final Duration downAfter;

	private final Clock clock;

	private volatile @Nullable HeldEvents held;

	private volatile @Nullable DeadLetters deadLetters;

	public ArvadosEventsHealthIndicator(ArvadosEventSubscription subscription, String host, Duration downAfter) {
		this(subscription, host, downAfter, Clock.systemUTC());
	}

	ArvadosEventsHealthIndicator(ArvadosEventSubscription subscription, String host, Duration downAfter,
			Clock clock) {
		super("Arvados events health check failed");
		this.subscription = subscription;
		this.host = host;
		this.downAfter = downAfter;
		this.clock = clock;
	}

	/**
	 * Show the events held ({@code handler-retry.exhausted: hold}) in the details, as {@code held}.
	 * @param held the held events
	 */
	public void setHeldEvents(HeldEvents held) {
		this.held = held;
	}

	/**
	 * Show how many dead letters are kept ({@code handler-retry.exhausted: dead-letter}) in the details, as
	 * {@code deadLetters}: a count kept in memory, not a query per check.
	 * @param deadLetters the dead letters
	 */
	public void setDeadLetters(DeadLetters deadLetters) {
		this.deadLetters = deadLetters;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		SubscriptionState state = this.subscription.state();
		Instant now = this.clock.instant();
		builder.status(status(state, now));
		if (state.role() != null) {
			builder.withDetail("role", state.role().name().toLowerCase());
		}
		builder
			.withDetail("phase", state.phase().name().toLowerCase())
			.withDetail("mode", state.mode().name().toLowerCase())
			.withDetail("connected", state.connected())
			.withDetail("endpoint", this.host);
		SubscriptionState.LastEvent last = state.lastEvent();
		if (last != null) {
			builder.withDetail("lastEventId", last.id());
			if (last.eventAt() != null) {
				builder.withDetail("lastEventAt", last.eventAt().toString())
					.withDetail("lastEventAge", Duration.between(last.eventAt(), now).toString());
			}
		}
		builder.withDetail("reconnects", state.counts().reconnects()).withDetail("queueDepth", state.queueDepth());
		if (state.reason() != null) {
			builder.withDetail("reason", state.reason().name());
		}
		if (state.lastError() != null) {
			builder.withDetail("lastError", state.lastError());
		}
		HeldEvents held = this.held;
		List<HeldEvent> holds = (held != null) ? held.list() : List.of();
		if (!holds.isEmpty()) {
			builder.withDetail("held", holds.stream().map(HeldEvent::toMap).toList());
		}
		DeadLetters deadLetters = this.deadLetters;
		if (deadLetters != null) {
			builder.withDetail("deadLetters", deadLetters.count());
		}
	}


	private Status status(SubscriptionState state, Instant now) {
		if (!state.running()) {
			// A standby is ready to take over: healthy.
			return (state.role() == StreamRole.STANDBY) ? Status.UP : Status.OUT_OF_SERVICE;
		}
		if (state.reason() != null && state.reason().needsAttention()) {
			return Status.DOWN;
		}
		if (state.phase() == StreamPhase.PAUSED) {
			// Held on purpose by the application, which knows: not a failure.
			return Status.UP;
		}
		if (state.connected()) {
			return Status.UP;
		}
		Instant since = state.notConnectedSince();
		return (since != null && !since.plus(this.downAfter).isAfter(now)) ? Status.DOWN : Status.UNKNOWN;
	}

}

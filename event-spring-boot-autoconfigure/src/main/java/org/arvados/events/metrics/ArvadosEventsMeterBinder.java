package org.arvados.events.metrics;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.arvados.events.subscription.ArvadosEventSubscription;
import org.arvados.events.subscription.SubscriptionState;

/**
 * The stream's meters, read from the subscription's {@link SubscriptionState} when a registry asks (nothing
 * is counted twice on the event path):
 * <ul>
 * <li>counters {@code arvados.events.received}, {@code .duplicates}, {@code .malformed}, {@code .reconnects},
 * {@code .transport.switches};</li>
 * <li>gauges {@code arvados.events.queue.depth}, {@code arvados.events.connected} (1 or 0) and the time gauge
 * {@code arvados.events.lag}: now minus the {@code event_at} of the last event handled.</li>
 * </ul>
 * Handler invocations are counted by {@link EventHandlerMetricsObservationHandler}.
 */
public class ArvadosEventsMeterBinder implements MeterBinder {

	private final ArvadosEventSubscription subscription;

	public ArvadosEventsMeterBinder(ArvadosEventSubscription subscription) {
		this.subscription = subscription;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		counter(registry, "arvados.events.received", "Events received, duplicates included",
				(s) -> s.state().counts().received());
		counter(registry, "arvados.events.duplicates", "Events dropped because their id was handled already",
				(s) -> s.state().counts().duplicates());
		counter(registry, "arvados.events.malformed", "Messages and list items that could not be decoded",
				(s) -> s.state().counts().malformed());
		counter(registry, "arvados.events.reconnects", "Connection attempts after the first",
				(s) -> s.state().counts().reconnects());
		counter(registry, "arvados.events.transport.switches", "Changes between WebSocket and polling",
				(s) -> s.state().counts().transportSwitches());
		Gauge.builder("arvados.events.queue.depth", this.subscription, (s) -> s.state().queueDepth())
			.description("Events waiting for their handlers")
			.register(registry);
		Gauge.builder("arvados.events.connected", this.subscription, (s) -> s.state().connected() ? 1 : 0)
			.description("Whether events are flowing (1) or not (0)")
			.register(registry);
		TimeGauge.builder("arvados.events.lag", this.subscription, TimeUnit.MILLISECONDS, ArvadosEventsMeterBinder::lagMillis)
			.description("Now minus the event_at of the last event handled")
			.register(registry);
	}

	private void counter(MeterRegistry registry, String name, String description,
			ToDoubleFunction<ArvadosEventSubscription> count) {
		FunctionCounter.builder(name, this.subscription, count).description(description).register(registry);
	}

	private static double lagMillis(ArvadosEventSubscription subscription) {
		SubscriptionState.LastEvent last = subscription.state().lastEvent();
		if (last == null || last.eventAt() == null) {
			return Double.NaN;
		}
		return Instant.now().toEpochMilli() - last.eventAt().toEpochMilli();
	}

}

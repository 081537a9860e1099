package org.arvados.events.metrics;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.arvados.events.subscription.ArvadosEventSubscription;
import org.arvados.events.subscription.SubscriptionState;

/**
 * The stream's meters, read from the subscription's {@link SubscriptionState} when a registry asks (nothing
 * is counted twice on the event path):
 * <ul>
 * <li>counters {@code arvados.events.received}, {@code .duplicates}, {@code .malformed}, {@code .reconnects},
 * {@code .transport.switches}, {@code .pull.dropped} (events pull listeners dropped, their queue full);</li>
 * <li>gauges {@code arvados.events.queue.depth}, {@code arvados.events.connected} (1 or 0) and the time gauge
 * {@code arvados.events.lag}: how far behind the handlers are, now minus the {@code event_at} of the oldest event
 * not handled yet (the one whose handlers run, else the next queued); zero when none waits, however quiet the
 * cluster;</li>
 * <li>for {@code arvados.events.concurrency} above 1 (zero, and never recorded, at 1): gauges
 * {@code arvados.events.handlers.in-flight} (events with the handler threads) and
 * {@code arvados.events.handlers.objects} (objects with events there), and the timer
 * {@code arvados.events.handlers.object-wait}: how long each event waited for the earlier events of its object (and
 * for a thread).</li>
 * </ul>
 * Handler invocations are counted by {@link EventHandlerMetricsObservationHandler}.
 */
public class ArvadosEventsMeterBinder implements MeterBinder {

	private final ArvadosEventSubscription subscription;

	private final Clock clock;

	/** One per registry bound to. */
	private final List<Timer> objectWaits = new CopyOnWriteArrayList<>();

	public ArvadosEventsMeterBinder(ArvadosEventSubscription subscription) {
		this(subscription, Clock.systemUTC());
	}

	ArvadosEventsMeterBinder(ArvadosEventSubscription subscription, Clock clock) {
		this.subscription = subscription;
		this.clock = clock;
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
		counter(registry, "arvados.events.pull.dropped", "Selected events pull listeners dropped because their queue was full",
				(s) -> s.listeners().dropped());
		Gauge.builder("arvados.events.queue.depth", this.subscription, (s) -> s.state().queueDepth())
			.description("Events waiting for their handlers")
			.register(registry);
		Gauge.builder("arvados.events.connected", this.subscription, (s) -> s.state().connected() ? 1 : 0)
			.description("Whether events are flowing (1) or not (0)")
			.register(registry);
		TimeGauge.builder("arvados.events.lag", this, TimeUnit.MILLISECONDS, ArvadosEventsMeterBinder::lagMillis)
			.description("How far behind the handlers are: now minus the event_at of the oldest event not handled yet, "
					+ "zero when none waits")
			// The gauge's state is this binder, which a registry need not keep otherwise: not a weak reference.
			.strongReference(true)
			.register(registry);
		concurrency(registry);
	}

	private void concurrency(MeterRegistry registry) {
		Gauge.builder("arvados.events.handlers.in-flight", this.subscription, ArvadosEventSubscription::handlersInFlight)
			.description("Events with the handler threads: waiting for an earlier event of their object, or running")
			.register(registry);
		Gauge.builder("arvados.events.handlers.objects", this.subscription, ArvadosEventSubscription::objectsInFlight)
			.description("Objects with events with the handler threads")
			.register(registry);
		Timer wait = Timer.builder("arvados.events.handlers.object-wait")
			.description("How long an event waited for the earlier events of its object, and for a thread")
			.register(registry);
		this.objectWaits.add(wait);
		this.subscription.onObjectWait((nanos) -> {
			for (Timer timer : this.objectWaits) {
				timer.record(nanos, TimeUnit.NANOSECONDS);
			}
		});
	}

	private void counter(MeterRegistry registry, String name, String description,
			ToDoubleFunction<ArvadosEventSubscription> count) {
		FunctionCounter.builder(name, this.subscription, count).description(description).register(registry);
	}

	// Read when the registry asks, never on the event path; a cluster clock ahead of ours is no lag.
	private double lagMillis() {
		Instant oldest = this.subscription.oldestUnhandledEventAt();
		return (oldest != null) ? Math.max(0, this.clock.millis() - oldest.toEpochMilli()) : 0;
	}

}

package org.arvados.events.metrics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.arvados.events.subscription.ArvadosEventSubscription;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * {@code arvados.events.lag}: how far behind the handlers are, from the oldest event not handled yet; zero when none
 * waits, however long ago the last event was.
 */
class LagGaugeTests {

	private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

	private final AtomicReference<Instant> oldestUnhandled = new AtomicReference<>();

	private final MeterRegistry registry = new SimpleMeterRegistry();

	LagGaugeTests() {
		ArvadosEventSubscription subscription = mock(ArvadosEventSubscription.class);
		given(subscription.oldestUnhandledEventAt()).willAnswer((invocation) -> this.oldestUnhandled.get());
		new ArvadosEventsMeterBinder(subscription, Clock.fixed(NOW, ZoneOffset.UTC)).bindTo(this.registry);
	}

	@Test
	void zeroWhenNothingWaitsHoweverQuietTheClusterIs() {
		assertThat(lagMillis()).isZero();
	}

	@Test
	void theAgeOfTheOldestEventNotHandledYet() {
		this.oldestUnhandled.set(NOW.minus(Duration.ofSeconds(42)));
		assertThat(lagMillis()).isEqualTo(42_000);
		this.oldestUnhandled.set(null);
		assertThat(lagMillis()).isZero();
	}

	@Test
	void neverNegativeWhenTheClustersClockIsAhead() {
		this.oldestUnhandled.set(NOW.plusSeconds(3));
		assertThat(lagMillis()).isZero();
	}

	private double lagMillis() {
		return this.registry.get("arvados.events.lag").timeGauge().value(TimeUnit.MILLISECONDS);
	}

}

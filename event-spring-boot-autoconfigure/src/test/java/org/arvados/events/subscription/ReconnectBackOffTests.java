package org.arvados.events.subscription;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import org.springframework.util.backoff.ExponentialBackOff;

import static org.assertj.core.api.Assertions.assertThat;

class ReconnectBackOffTests {

	@Test
	void waitsGrowWhileNothingNewArrivesAndStartOverAfterProgress() {
		ReconnectBackOff backOff = new ReconnectBackOff(new ExponentialBackOff(100, 2));
		assertThat(Stream.generate(backOff::nextDelay).limit(4).toList()).containsExactly(100L, 200L, 400L, 800L);
		backOff.progressed();
		assertThat(List.of(backOff.nextDelay(), backOff.nextDelay())).containsExactly(100L, 200L);
	}

	@Test
	void neverStops() {
		ExponentialBackOff limited = new ExponentialBackOff(10, 1);
		limited.setMaxAttempts(2);
		ReconnectBackOff backOff = new ReconnectBackOff(limited);
		assertThat(Stream.generate(backOff::nextDelay).limit(10)).containsOnly(10L);
	}

}

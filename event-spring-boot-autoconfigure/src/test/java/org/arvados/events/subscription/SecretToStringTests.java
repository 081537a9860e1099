package org.arvados.events.subscription;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.arvados.events.transport.LatestEventProbe;
import org.junit.jupiter.api.Test;

import org.springframework.util.backoff.ExponentialBackOff;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Objects that hold the token print without it.
 */
class SecretToStringTests {

	private static final String TOKEN = "v2/zzzzz-gj3su-0123456789abcde/s3cr3t";

	@Test
	void settingsAndProbeLeaveTheTokenOut() {
		URI endpoint = URI.create("https://zzzzz.example.org");
		SubscriptionSettings settings = new SubscriptionSettings(endpoint, TOKEN, List.of(), StartFrom.parse("latest"),
				new ExponentialBackOff(), Duration.ofSeconds(150));
		LatestEventProbe probe = new LatestEventProbe(endpoint, TOKEN, RestClient.create(), Duration.ofHours(2),
				Clock.systemUTC());
		assertThat(settings.toString()).contains("zzzzz.example.org").doesNotContain("s3cr3t");
		assertThat(probe.toString()).contains("zzzzz.example.org").doesNotContain("s3cr3t");
	}

}

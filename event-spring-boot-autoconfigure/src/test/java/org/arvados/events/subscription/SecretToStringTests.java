package org.arvados.events.subscription;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.arvados.events.transport.LogsClient;
import org.arvados.events.transport.TokenRejectedException;
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
	void settingsListClientAndRejectionLeaveTheTokenOut() {
		URI endpoint = URI.create("https://zzzzz.example.org");
		SubscriptionSettings settings = new SubscriptionSettings(endpoint, TOKEN, List.of(), StartFrom.parse("latest"),
				Transport.AUTO, new ExponentialBackOff(), Duration.ofSeconds(150), Duration.ofMinutes(5), 3, Duration.ofMinutes(1),
				Duration.ofSeconds(15), 1000, Duration.ofHours(2));
		LogsClient probe = new LogsClient(endpoint, TOKEN, RestClient.create());
		TokenRejectedException rejected = new TokenRejectedException(endpoint, 401);
		assertThat(settings.toString()).contains("zzzzz.example.org").doesNotContain("s3cr3t");
		assertThat(probe.toString()).contains("zzzzz.example.org").doesNotContain("s3cr3t");
		assertThat(rejected.getMessage()).contains("zzzzz.example.org", "401").doesNotContain("s3cr3t");
	}

}

package org.arvados.events.sample;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.awaitility.Awaitility.await;

// A developer's own ARVADOS_API_HOST must not turn this test into one against a real cluster.
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "ARVADOS_API_HOST=")
class SampleApplicationTests {

	@Autowired
	CollectionWatcher collections;

	@Autowired
	ContainerRequestWatcher requests;

	@Test
	void followsTheEmbeddedClusterWhenNoneIsConfigured() {
		await().atMost(Duration.ofSeconds(30)).until(() -> this.collections.seen() >= 3 && this.requests.finished() >= 1);
	}

}

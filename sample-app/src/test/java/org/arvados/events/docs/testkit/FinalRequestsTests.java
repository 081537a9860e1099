package org.arvados.events.docs.testkit;

// tag::test-kit[]
import java.util.Map;

import org.arvados.events.subscription.ArvadosEventSubscription;
import org.arvados.events.test.EmbeddedArvadosCluster;
import org.arvados.events.test.FakeArvadosCluster;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@SpringBootTest
@EmbeddedArvadosCluster // a fake cluster on loopback for this context; the starter follows it
class FinalRequestsTests {

	@Autowired
	FakeArvadosCluster cluster;

	@Autowired
	ArvadosEventSubscription subscription;

	@Autowired
	FinalRequests finalRequests; // the bean under test: it records the requests that reached Final

	@BeforeEach
	void setUp() {
		// With start-from: latest, what is committed before the stream knows where it stands is not delivered.
		await().until(() -> subscription.state().connected());
		// Test classes with the same configuration share a cached context: this bean saw their events too.
		finalRequests.clear();
	}

	@Test
	void seesARequestReachFinal() {
		String request = FakeArvadosCluster.uuid("xvhdp"); // a fresh container request UUID
		// The map is the log row's properties: the object's attributes go under new_attributes.
		cluster.emit("update", request, Map.of("new_attributes", Map.of("state", "Final")));
		await().untilAsserted(() -> assertThat(finalRequests.uuids()).containsExactly(request));
	}

}
// end::test-kit[]

package org.arvados.events.docs.testkit;

import java.util.Map;

import org.arvados.events.subscription.ArvadosEventSubscription;
import org.arvados.events.test.EmbeddedArvadosCluster;
import org.arvados.events.test.FakeArvadosCluster;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the README says of {@code emit}'s map, the mistake a newcomer made first: it is the log row's
 * {@code properties}, so an attribute outside {@code new_attributes} is no attribute at all.
 */
@SpringBootTest
@EmbeddedArvadosCluster
class EmitPropertiesTests {

	@Autowired
	FakeArvadosCluster cluster;

	@Autowired
	ArvadosEventSubscription subscription;

	@Autowired
	FinalRequests finalRequests;

	@Test
	void anAttributeOutsideNewAttributesIsNoAttribute() {
		await().until(() -> this.subscription.state().connected());
		this.finalRequests.clear();
		String misplaced = FakeArvadosCluster.uuid("xvhdp");
		String placed = FakeArvadosCluster.uuid("xvhdp");
		this.cluster.emit("update", misplaced, Map.of("state", "Final"));
		this.cluster.emit("update", placed, Map.of("new_attributes", Map.of("state", "Final")));
		// Handled in commit order: once the second is seen, the first was judged already.
		await().untilAsserted(() -> assertThat(this.finalRequests.uuids()).containsExactly(placed));
	}

}

package org.arvados.events.stream;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.arvados.events.ArvadosEvent;
import org.arvados.events.annotation.EventHandler;
import org.arvados.events.subscription.ArvadosEventSubscription;
import org.arvados.events.test.EmbeddedArvadosCluster;
import org.arvados.events.test.FakeArvadosCluster;
import org.arvados.events.test.LogEntry;
import org.arvados.events.test.Transaction;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.arvados.events.stream.StreamTestSupport.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The way an application tests its handlers: {@code @SpringBootTest} with the test kit's embedded cluster.
 */
@SpringBootTest
@EmbeddedArvadosCluster
class EmbeddedClusterSpringBootTests {

	@Autowired
	FakeArvadosCluster cluster;

	@Autowired
	ArvadosEventSubscription subscription;

	@Autowired
	FinalRequests finalRequests;

	@Test
	void handlersSeeTheClustersEventsInCommitOrder() {
		await().atMost(WAIT).until(() -> this.subscription.state().connected());
		String request = FakeArvadosCluster.uuid("xvhdp");
		this.cluster.emit("update", request, Map.of("new_attributes", Map.of("state", "Committed")));
		Transaction slow = this.cluster.begin("update", request, Map.of("new_attributes", Map.of("state", "Final")));
		LogEntry other = this.cluster.emit("update", FakeArvadosCluster.uuid("xvhdp"),
				Map.of("new_attributes", Map.of("state", "Final")));
		slow.commit();
		await().atMost(WAIT).until(() -> this.finalRequests.ids.size() == 2);
		assertThat(this.finalRequests.ids).containsExactly(other.id(), slow.id());
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class Application {

		@Bean
		FinalRequests finalRequests() {
			return new FinalRequests();
		}

	}

	static class FinalRequests {

		final List<Long> ids = new CopyOnWriteArrayList<>();

		@EventHandler(objectKinds = "arvados#containerRequest", condition = "#event.newAttributes()['state'] == 'Final'")
		void onFinal(ArvadosEvent event) {
			this.ids.add(event.id());
		}

	}

}

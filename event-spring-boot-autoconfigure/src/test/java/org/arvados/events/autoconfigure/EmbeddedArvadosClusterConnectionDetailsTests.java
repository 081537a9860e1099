package org.arvados.events.autoconfigure;

import java.net.URI;
import java.time.Duration;

import org.arvados.events.subscription.ArvadosEventSubscription;
import org.arvados.events.test.EmbeddedArvadosCluster;
import org.arvados.events.test.FakeArvadosCluster;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link EmbeddedArvadosCluster} supplies the connection details, as {@code @ServiceConnection} does, and the
 * starter's own from the properties back off.
 */
@SpringBootTest
@EmbeddedArvadosCluster
class EmbeddedArvadosClusterConnectionDetailsTests {

	@Autowired
	ApplicationContext context;

	@Autowired
	FakeArvadosCluster cluster;

	@Test
	void theClusterSuppliesTheConnectionDetails() {
		assertThat(this.context.getBeanNamesForType(ArvadosConnectionDetails.class))
			.containsExactly("embeddedArvadosClusterConnectionDetails");
		assertThat(this.context.getBeanNamesForType(PropertiesArvadosConnectionDetails.class)).isEmpty();
		ArvadosConnectionDetails details = this.context.getBean(ArvadosConnectionDetails.class);
		assertThat(details.endpoint()).isEqualTo(URI.create(this.cluster.endpoint()));
		assertThat(details.token()).isEqualTo(this.cluster.token());
		assertThat(details.insecure()).isFalse();
		assertThat(details.toString()).doesNotContain(this.cluster.token());
	}

	@Test
	void theSubscriptionFollowsTheClusterThroughThem() {
		ArvadosEventSubscription subscription = this.context.getBean(ArvadosEventSubscription.class);
		await().atMost(Duration.ofSeconds(20)).until(() -> subscription.state().connected());
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ ArvadosEventHandlerAutoConfiguration.class, ArvadosEventsAutoConfiguration.class })
	static class Application {

	}

}

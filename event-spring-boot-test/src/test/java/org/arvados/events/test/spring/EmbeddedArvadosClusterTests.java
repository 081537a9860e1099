package org.arvados.events.test.spring;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.util.List;

import org.arvados.events.test.EmbeddedArvadosCluster;
import org.arvados.events.test.FakeArvadosCluster;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.test.context.junit.jupiter.SpringJUnitConfig;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link EmbeddedArvadosCluster} through the TestContext framework: properties, the bean, and
 * customizer equality for context caching.
 */
@SpringJUnitConfig(EmbeddedArvadosClusterTests.Empty.class)
@EmbeddedArvadosCluster(keepaliveMillis = 1500, advertiseWebsocket = false)
class EmbeddedArvadosClusterTests {

	@Autowired
	private FakeArvadosCluster cluster;

	@Value("${arvados.events.endpoint}")
	private String endpoint;

	@Value("${arvados.events.token}")
	private String token;

	@Test
	void propertiesPointAtTheClusterBean() {
		assertThat(this.endpoint).isEqualTo(this.cluster.endpoint());
		assertThat(this.token).isEqualTo(this.cluster.token());
		assertThat(this.cluster.openConnections()).isZero();
	}

	@Test
	void customizersAreEqualForEqualAttributesOnly() {
		EmbeddedArvadosClusterContextCustomizerFactory factory = new EmbeddedArvadosClusterContextCustomizerFactory();
		assertThat(factory.createContextCustomizer(EmbeddedArvadosClusterTests.class, List.of()))
			.isEqualTo(factory.createContextCustomizer(SameAttributes.class, List.of()))
			.isNotEqualTo(factory.createContextCustomizer(OtherAttributes.class, List.of()));
		assertThat(factory.createContextCustomizer(Empty.class, List.of())).isNull();
	}

	// A shared context keeps its beans (and what they recorded) across classes; an isolated class gets its own.
	@Test
	void anIsolatedClassHasAContextOfItsOwn() {
		EmbeddedArvadosClusterContextCustomizerFactory factory = new EmbeddedArvadosClusterContextCustomizerFactory();
		assertThat(factory.createContextCustomizer(Isolated.class, List.of()))
			.isNotEqualTo(factory.createContextCustomizer(AlsoIsolated.class, List.of()))
			.isEqualTo(factory.createContextCustomizer(Isolated.class, List.of()));
	}

	@EmbeddedArvadosCluster(isolated = true)
	static class Isolated {

	}

	@EmbeddedArvadosCluster(isolated = true)
	static class AlsoIsolated {

	}

	@Test
	void clusterClosesWithTheContext() {
		GenericApplicationContext context = new GenericApplicationContext();
		new EmbeddedArvadosClusterContextCustomizer(600, 60_000, 64, true, null).customizeContext(context, null);
		context.refresh();
		FakeArvadosCluster started = context.getBean("fakeArvadosCluster", FakeArvadosCluster.class);
		assertThat(context.getEnvironment().getProperty("arvados.events.endpoint")).isEqualTo(started.endpoint());
		// Without the starter there is no ArvadosConnectionDetails type to declare a bean of.
		assertThat(context.containsBean(EmbeddedArvadosClusterContextCustomizer.CONNECTION_DETAILS_BEAN_NAME))
			.isFalse();
		context.close();
		assertThat(isListening(started.endpoint())).isFalse();
	}

	private static boolean isListening(String endpoint) {
		URI uri = URI.create(endpoint);
		try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class Empty {

	}

	@EmbeddedArvadosCluster(keepaliveMillis = 1500, advertiseWebsocket = false)
	static class SameAttributes {

	}

	@EmbeddedArvadosCluster(keepaliveMillis = 1500)
	static class OtherAttributes {

	}

}

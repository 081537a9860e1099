package org.arvados.events.sample;

import java.util.Map;

import org.arvados.events.test.FakeArvadosCluster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * When no cluster is configured, starts the test kit's fake cluster on loopback, points the starter at it and
 * registers it as a bean for the {@link DemoStream}. With {@code arvados.events.endpoint} or
 * {@code ARVADOS_API_HOST} set, does nothing: the sample follows the real cluster.
 */
class EmbeddedClusterInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

	private static final Logger logger = LoggerFactory.getLogger(EmbeddedClusterInitializer.class);

	@Override
	public void initialize(ConfigurableApplicationContext context) {
		ConfigurableEnvironment environment = context.getEnvironment();
		if (StringUtils.hasText(environment.getProperty("arvados.events.endpoint"))
				|| StringUtils.hasText(environment.getProperty("ARVADOS_API_HOST"))) {
			return;
		}
		FakeArvadosCluster cluster = FakeArvadosCluster.start();
		environment.getPropertySources()
			.addFirst(new MapPropertySource("embeddedArvadosCluster", Map.of("arvados.events.endpoint",
					cluster.endpoint(), "arvados.events.token", cluster.token(), "arvados.events.insecure", "false")));
		// Destroyed with the beans, after the subscription has stopped: closing it on ContextClosedEvent would pull
		// the cluster away from a subscription that is still running, and it would try to reconnect.
		DefaultListableBeanFactory beanFactory = (DefaultListableBeanFactory) context.getBeanFactory();
		beanFactory.registerSingleton("embeddedArvadosCluster", cluster);
		beanFactory.registerDisposableBean("embeddedArvadosCluster", cluster::close);
		logger.info("No Arvados cluster configured (arvados.events.endpoint / ARVADOS_API_HOST): "
				+ "following an embedded fake cluster at {}", cluster.endpoint());
	}

}

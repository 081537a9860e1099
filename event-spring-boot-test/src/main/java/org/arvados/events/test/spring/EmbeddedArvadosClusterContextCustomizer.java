package org.arvados.events.test.spring;

import java.time.Duration;
import java.util.Map;

import org.arvados.events.test.EmbeddedArvadosCluster;
import org.arvados.events.test.FakeArvadosCluster;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Starts a {@link FakeArvadosCluster} for one application context and points the
 * {@code arvados.events} properties at it.
 *
 * <p>A record of the annotation's attributes, so equal attributes make equal customizers and the
 * TestContext framework reuses the cached context instead of starting another cluster.
 *
 * @param replayWindowSeconds see {@link EmbeddedArvadosCluster#replayWindowSeconds()}
 * @param keepaliveMillis see {@link EmbeddedArvadosCluster#keepaliveMillis()}
 * @param clientQueueCapacity see {@link EmbeddedArvadosCluster#clientQueueCapacity()}
 * @param advertiseWebsocket see {@link EmbeddedArvadosCluster#advertiseWebsocket()}
 */
record EmbeddedArvadosClusterContextCustomizer(long replayWindowSeconds, long keepaliveMillis,
		int clientQueueCapacity, boolean advertiseWebsocket) implements ContextCustomizer {

	static final String BEAN_NAME = "fakeArvadosCluster";

	static final String PROPERTY_SOURCE_NAME = "embeddedArvadosCluster";

	EmbeddedArvadosClusterContextCustomizer(EmbeddedArvadosCluster annotation) {
		this(annotation.replayWindowSeconds(), annotation.keepaliveMillis(), annotation.clientQueueCapacity(),
				annotation.advertiseWebsocket());
	}

	@Override
	public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
		FakeArvadosCluster cluster = FakeArvadosCluster.builder()
			.replayWindow(Duration.ofSeconds(this.replayWindowSeconds))
			.keepaliveInterval(Duration.ofMillis(this.keepaliveMillis))
			.clientQueueCapacity(this.clientQueueCapacity)
			.advertiseWebsocket(this.advertiseWebsocket)
			.start();
		context.getEnvironment()
			.getPropertySources()
			.addFirst(new MapPropertySource(PROPERTY_SOURCE_NAME,
					Map.of("arvados.events.endpoint", cluster.endpoint(), "arvados.events.token", cluster.token())));
		ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
		beanFactory.registerSingleton(BEAN_NAME, cluster);
		if (beanFactory instanceof DefaultSingletonBeanRegistry registry) {
			// Registered before every other bean, so destroyed after them: clients stop first.
			registry.registerDisposableBean(BEAN_NAME, cluster::close);
		}
		else {
			context.addApplicationListener((event) -> {
				if (event instanceof ContextClosedEvent) {
					cluster.close();
				}
			});
		}
	}

}

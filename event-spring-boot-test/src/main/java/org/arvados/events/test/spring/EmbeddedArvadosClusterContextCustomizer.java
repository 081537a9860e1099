package org.arvados.events.test.spring;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import org.arvados.events.test.EmbeddedArvadosCluster;
import org.arvados.events.test.FakeArvadosCluster;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.util.ClassUtils;

/**
 * Starts a {@link FakeArvadosCluster} for one application context, supplies the starter's
 * {@code ArvadosConnectionDetails} for it (as {@code @ServiceConnection} does for a container) and points the
 * {@code arvados.events} properties at it too.
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

	static final String CONNECTION_DETAILS_BEAN_NAME = "embeddedArvadosClusterConnectionDetails";

	// The starter's auto-configuration depends on this module for its own tests, so this module cannot depend on it
	// (Maven would see a cycle): the details are declared by class name, made by the interface's static factory
	// method, and only when the starter is on the class path.
	static final String CONNECTION_DETAILS_CLASS = "org.arvados.events.autoconfigure.ArvadosConnectionDetails";

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
		registerConnectionDetails(context, cluster);
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

	private static void registerConnectionDetails(ConfigurableApplicationContext context, FakeArvadosCluster cluster) {
		if (!ClassUtils.isPresent(CONNECTION_DETAILS_CLASS, context.getClassLoader())
				|| !(context instanceof BeanDefinitionRegistry registry)) {
			return;
		}
		RootBeanDefinition definition = new RootBeanDefinition();
		definition.setBeanClassName(CONNECTION_DETAILS_CLASS);
		definition.setFactoryMethodName("of");
		definition.getConstructorArgumentValues().addIndexedArgumentValue(0, URI.create(cluster.endpoint()));
		definition.getConstructorArgumentValues().addIndexedArgumentValue(1, cluster.token());
		registry.registerBeanDefinition(CONNECTION_DETAILS_BEAN_NAME, definition);
	}

}

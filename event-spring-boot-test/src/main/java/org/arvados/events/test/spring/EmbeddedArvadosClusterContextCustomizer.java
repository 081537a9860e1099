package org.arvados.events.test.spring;

import java.lang.reflect.Method;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

import org.arvados.events.test.EmbeddedArvadosCluster;
import org.arvados.events.test.FakeArvadosCluster;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

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
 * @param isolatedFor the test class that has a cluster of its own ({@link EmbeddedArvadosCluster#isolated()}),
 * which makes the customizer, and so the cached context, its own; {@code null} when shared
 */
record EmbeddedArvadosClusterContextCustomizer(long replayWindowSeconds, long keepaliveMillis,
		int clientQueueCapacity, boolean advertiseWebsocket, @Nullable Class<?> isolatedFor)
		implements ContextCustomizer {

	static final String BEAN_NAME = "fakeArvadosCluster";

	static final String PROPERTY_SOURCE_NAME = "embeddedArvadosCluster";

	static final String CONNECTION_DETAILS_BEAN_NAME = "embeddedArvadosClusterConnectionDetails";

	// The starter's auto-configuration depends on this module for its own tests, so this module cannot depend on it
	// (Maven would see a cycle): the details are declared by class name, made by the interface's static factory
	// method, and only when the starter is on the class path.
	static final String CONNECTION_DETAILS_CLASS = "org.arvados.events.autoconfigure.ArvadosConnectionDetails";

	EmbeddedArvadosClusterContextCustomizer(EmbeddedArvadosCluster annotation, Class<?> testClass) {
		this(annotation.replayWindowSeconds(), annotation.keepaliveMillis(), annotation.clientQueueCapacity(),
				annotation.advertiseWebsocket(), annotation.isolated() ? testClass : null);
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

	// A singleton, not a bean definition: an AOT build would have to write the cluster's address into code (and
	// cannot write a URI), while it is another at every run; a customizer registers it again at every start, AOT
	// or not. The static factory method is called by name (see CONNECTION_DETAILS_CLASS).
	private static void registerConnectionDetails(ConfigurableApplicationContext context, FakeArvadosCluster cluster) {
		ClassLoader classLoader = context.getClassLoader();
		if (!ClassUtils.isPresent(CONNECTION_DETAILS_CLASS, classLoader)) {
			return;
		}
		Class<?> type = ClassUtils.resolveClassName(CONNECTION_DETAILS_CLASS, classLoader);
		Method of = ReflectionUtils.findMethod(type, "of", URI.class, String.class);
		Assert.state(of != null, () -> CONNECTION_DETAILS_CLASS + ".of(URI, String) not found");
		ReflectionUtils.makeAccessible(of);
		Object details = ReflectionUtils.invokeMethod(of, null, URI.create(cluster.endpoint()), cluster.token());
		Assert.state(details != null, "No connection details made");
		context.getBeanFactory().registerSingleton(CONNECTION_DETAILS_BEAN_NAME, details);
	}

}

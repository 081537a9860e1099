package org.arvados.events.test.spring;

import java.util.List;

import org.arvados.events.test.EmbeddedArvadosCluster;
import org.jspecify.annotations.Nullable;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Finds {@link EmbeddedArvadosCluster} on a test class (or an enclosing class) and contributes a
 * customizer that runs the cluster; registered in {@code META-INF/spring.factories}.
 */
public final class EmbeddedArvadosClusterContextCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public @Nullable ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		EmbeddedArvadosCluster annotation = TestContextAnnotationUtils.findMergedAnnotation(testClass,
				EmbeddedArvadosCluster.class);
		return (annotation != null) ? new EmbeddedArvadosClusterContextCustomizer(annotation, testClass) : null;
	}

}

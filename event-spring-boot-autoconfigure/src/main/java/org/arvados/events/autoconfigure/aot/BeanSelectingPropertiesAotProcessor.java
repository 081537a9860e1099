package org.arvados.events.autoconfigure.aot;

import java.util.Map;

import javax.lang.model.element.Modifier;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.generate.GeneratedMethod;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotContribution;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.javapoet.CodeBlock;

/**
 * Records at build time what each of the {@link BeanSelectingProperties} chose, and has the generated code check
 * at run time, before any bean is made, that the environment chooses the same: an AOT build evaluated the
 * conditions once, and a {@code --arvados.events.checkpoint.file} given only at run time would otherwise be ignored
 * without a word (the position kept in memory). Spring Boot does not check this for conditions in general.
 */
class BeanSelectingPropertiesAotProcessor implements BeanFactoryInitializationAotProcessor {

	@Override
	public @Nullable BeanFactoryInitializationAotContribution processAheadOfTime(
			ConfigurableListableBeanFactory beanFactory) {
		if (!beanFactory.containsBean("environment")) {
			return null;
		}
		Map<String, String> built = BeanSelectingProperties.choices(beanFactory.getBean(Environment.class));
		return (generationContext, code) -> {
			GeneratedMethod method = code.getMethods().add("checkArvadosEventsBuildChoices", (spec) -> {
				spec.addJavadoc("Fails the start when the run-time environment would choose other Arvados events "
						+ "beans than the build chose.");
				spec.addModifiers(Modifier.PRIVATE, Modifier.STATIC);
				spec.addParameter(ConfigurableEnvironment.class, "environment");
				CodeBlock.Builder map = CodeBlock.builder();
				built.forEach((name, choice) -> {
					if (!map.isEmpty()) {
						map.add(", ");
					}
					map.add("$S, $S", name, choice);
				});
				spec.addStatement("$T.check(environment, $T.of($L))", BeanSelectingProperties.class, Map.class,
						map.build());
			});
			code.addInitializer(method.toMethodReference());
		};
	}

}

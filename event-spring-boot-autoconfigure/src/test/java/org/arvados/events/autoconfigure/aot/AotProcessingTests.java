package org.arvados.events.autoconfigure.aot;

import java.util.Map;

import org.arvados.events.ArvadosEvent;
import org.arvados.events.Acknowledgment;
import org.arvados.events.annotation.EventHandler;
import org.arvados.events.autoconfigure.ArvadosEventHandlerAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.GeneratedFiles;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.TypeReference;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.context.annotation.AnnotationConfigUtils;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.javapoet.ClassName;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an AOT build of an application with the starter holds: the handler methods registered for invocation, the
 * starter's own hints, and the run-time check of the properties that chose beans, with the build's choices.
 */
class AotProcessingTests {

	@Test
	void handlerMethodsAndWhatAConditionReadsAreRegisteredForReflection() {
		RuntimeHints hints = process(Map.of()).getRuntimeHints();
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Handlers.class, "on")).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Handlers.class, "later")).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(ArvadosEvent.class, "newAttributes"))
			.accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection()
			.onType(TypeReference.of(ArvadosEventsRuntimeHints.ACKNOWLEDGING_ROOT))).accepts(hints);
	}

	@Test
	void theRegistrarAloneRegistersWhatAConditionReads() {
		RuntimeHints hints = new RuntimeHints();
		new ArvadosEventsRuntimeHints().registerHints(hints, getClass().getClassLoader());
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(ArvadosEvent.class, "eventType"))
			.accepts(hints);
	}

	@Test
	void theGeneratedCodeChecksTheBuildsChoicesAtRunTime() throws Exception {
		DefaultGenerationContext generated = process(Map.of("arvados.events.checkpoint.file", "/build/position.json"));
		String code = String.join("\n", sources(generated));
		assertThat(code).contains("BeanSelectingProperties.check(environment, Map.of(")
			.contains("\"arvados.events.checkpoint.file\", \"set\"")
			.contains("\"arvados.events.websocket.client\", \"tomcat\"");
	}

	private static java.util.List<String> sources(DefaultGenerationContext generated) throws Exception {
		InMemoryGeneratedFiles files = (InMemoryGeneratedFiles) generated.getGeneratedFiles();
		java.util.List<String> sources = new java.util.ArrayList<>();
		for (String path : files.getGeneratedFiles(GeneratedFiles.Kind.SOURCE).keySet()) {
			sources.add(files.getGeneratedFileContent(GeneratedFiles.Kind.SOURCE, path));
		}
		return sources;
	}

	private static DefaultGenerationContext process(Map<String, Object> properties) {
		try (GenericApplicationContext context = new GenericApplicationContext()) {
			context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("test", properties));
			AnnotationConfigUtils.registerAnnotationConfigProcessors(context);
			context.registerBean(ArvadosEventHandlerAutoConfiguration.class);
			context.registerBean(Handlers.class);
			DefaultGenerationContext generationContext = new DefaultGenerationContext(
					new ClassNameGenerator(ClassName.get("com.example", "App")), new InMemoryGeneratedFiles());
			new ApplicationContextAotGenerator().processAheadOfTime(context, generationContext);
			generationContext.writeGeneratedContent();
			return generationContext;
		}
	}

	static class Handlers {

		@EventHandler
		void on(ArvadosEvent event) {
		}

		@EventHandler(condition = "#event.eventType() == 'update'")
		void later(ArvadosEvent event, Acknowledgment acknowledgment) {
		}

	}

}

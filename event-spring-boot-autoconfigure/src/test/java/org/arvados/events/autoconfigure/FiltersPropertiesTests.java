package org.arvados.events.autoconfigure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

import org.arvados.events.filter.EventFilter;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.support.SpringApplicationJsonEnvironmentPostProcessor;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ContextConsumer;
import org.springframework.core.convert.TypeDescriptor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code arvados.events.filters} in Arvados' own form (YAML lists, a JSON string from an environment variable or
 * {@code SPRING_APPLICATION_JSON}) and in the named form; a bad filter fails at binding and says why.
 */
class FiltersPropertiesTests {

	private static final List<EventFilter> CREATED_OR_UPDATED_COLLECTIONS = List.of(
			new EventFilter("event_type", "in", List.of("create", "update")),
			EventFilter.of("object_uuid", "is_a", "arvados#collection"));

	private static final String JSON = "[[\"event_type\",\"in\",[\"create\",\"update\"]],"
			+ "[\"object_uuid\",\"is_a\",\"arvados#collection\"]]";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ArvadosEventHandlerAutoConfiguration.class,
				ArvadosEventsAutoConfiguration.class))
		.withPropertyValues("arvados.events.endpoint=http://127.0.0.1:9", "arvados.events.token=secret-token-42",
				"arvados.events.websocket.url=ws://127.0.0.1:9/websocket");

	@Test
	void arvadosFormInYamlFlowLists() {
		this.runner.withInitializer((context) -> loadYaml(context.getEnvironment(), "filters/native.yml"))
			.run(hasFilters(CREATED_OR_UPDATED_COLLECTIONS.get(0), CREATED_OR_UPDATED_COLLECTIONS.get(1),
					// A single operand is never split at its commas.
					EventFilter.of("name", "like", "%a,b%")));
	}

	@Test
	void arvadosFormInYamlBlockLists() {
		this.runner.withInitializer((context) -> loadYaml(context.getEnvironment(), "filters/native-block.yml"))
			.run(hasFilters(CREATED_OR_UPDATED_COLLECTIONS.get(0), CREATED_OR_UPDATED_COLLECTIONS.get(1),
					EventFilter.of("id", ">", "42")));
	}

	@Test
	void namedFormInYaml() {
		this.runner.withInitializer((context) -> loadYaml(context.getEnvironment(), "filters/named.yml"))
			.run(hasFilters(CREATED_OR_UPDATED_COLLECTIONS));
	}

	@Test
	void namedFormInProperties() {
		this.runner
			.withPropertyValues("arvados.events.filters[0].attribute=event_type", "arvados.events.filters[0].operator=in",
					"arvados.events.filters[0].operand=create,update", "arvados.events.filters[1].attribute=object_uuid",
					"arvados.events.filters[1].operator=is_a", "arvados.events.filters[1].operand=arvados#collection")
			.run(hasFilters(CREATED_OR_UPDATED_COLLECTIONS));
	}

	@Test
	void arvadosFormInIndexedProperties() {
		this.runner
			.withPropertyValues("arvados.events.filters[0][0]=event_type", "arvados.events.filters[0][1]=in",
					"arvados.events.filters[0][2][0]=create", "arvados.events.filters[0][2][1]=update",
					"arvados.events.filters[1][0]=object_uuid", "arvados.events.filters[1][1]=is_a",
					"arvados.events.filters[1][2]=arvados#collection")
			.run(hasFilters(CREATED_OR_UPDATED_COLLECTIONS));
	}

	@Test
	void aJsonStringInAProperty() {
		this.runner.withPropertyValues("arvados.events.filters=" + JSON).run(hasFilters(CREATED_OR_UPDATED_COLLECTIONS));
		this.runner
			.withPropertyValues("arvados.events.filters=[{\"attribute\":\"object_uuid\",\"operator\":\"is_a\","
					+ "\"operand\":\"arvados#collection\"}]")
			.run(hasFilters(CREATED_OR_UPDATED_COLLECTIONS.get(1)));
	}

	@Test
	void aJsonStringInTheEnvironmentVariable() {
		this.runner
			.withInitializer((context) -> context.getEnvironment()
				.getPropertySources()
				.addFirst(new SystemEnvironmentPropertySource("test-systemEnvironment",
						Map.of("ARVADOS_EVENTS_FILTERS", JSON))))
			.run(hasFilters(CREATED_OR_UPDATED_COLLECTIONS));
	}

	@Test
	void springApplicationJson() {
		String json = "{\"arvados\":{\"events\":{\"filters\":" + JSON + "}}}";
		this.runner.withInitializer((context) -> {
			ConfigurableEnvironment environment = context.getEnvironment();
			environment.getPropertySources()
				.addFirst(new MapPropertySource("test-json", Map.of("spring.application.json", json)));
			new SpringApplicationJsonEnvironmentPostProcessor().postProcessEnvironment(environment,
					new SpringApplication());
		}).run(hasFilters(CREATED_OR_UPDATED_COLLECTIONS));
	}

	@Test
	void anUnknownOperatorFailsAtBindingNamingTheFilter() {
		this.runner.withInitializer((context) -> loadYaml(context.getEnvironment(), "filters/unknown-operator.yml"))
			.run(failsAtBinding("arvados.events.filters[1]", "Unknown operator '~' in the Arvados filter on 'object_uuid'"));
	}

	@Test
	void operandsOutsideAListFailInsteadOfBeingDropped() {
		this.runner
			.withInitializer((context) -> loadYaml(context.getEnvironment(), "filters/operands-not-in-a-list.yml"))
			.run(failsAtBinding("arvados.events.filters[0]",
					"An Arvados filter has three parts, [attribute, operator, operand]; write several operands as one "
							+ "list, e.g. [event_type, in, [create, update]]"));
		this.runner.withPropertyValues("arvados.events.filters=[[\"event_type\",\"in\",\"create\",\"update\"]]")
			.run(failsAtBinding("arvados.events.filters", "write several operands as one list"));
	}

	@Test
	void aMissingOperandFailsAtBinding() {
		this.runner.withInitializer((context) -> loadYaml(context.getEnvironment(), "filters/no-operand.yml"))
			.run(failsAtBinding("arvados.events.filters[0]", "The Arvados filter 'event_type in' needs an operand"));
		this.runner.withPropertyValues("arvados.events.filters[0][0]=event_type")
			.run(failsAtBinding("arvados.events.filters[0]", "An Arvados filter has three parts"));
	}

	@Test
	void theTwoFormsInOneFilterFailAtBinding() {
		this.runner
			.withPropertyValues("arvados.events.filters[0][0]=event_type", "arvados.events.filters[0][1]=in",
					"arvados.events.filters[0][2]=create", "arvados.events.filters[0].operand=update")
			.run(failsAtBinding("arvados.events.filters[0]",
					"An Arvados filter is either [attribute, operator, operand] or attribute, operator and operand "
							+ "by name, not both"));
	}

	@Test
	void aStringThatIsNotAJsonListFailsAtBinding() {
		this.runner.withPropertyValues("arvados.events.filters=event_type in create")
			.run(failsAtBinding("arvados.events.filters", "Arvados filters in one value must be JSON, e.g. "
					+ "[[\"event_type\",\"in\",[\"create\",\"update\"]]]"));
		this.runner.withPropertyValues("arvados.events.filters={\"event_type\":\"create\"}")
			.run(failsAtBinding("arvados.events.filters", "Arvados filters in one value must be a JSON list"));
	}

	// The converter is registered for every @ConfigurationProperties binding of the application.
	@Test
	void otherListsAreLeftToBoot() {
		FiltersJsonConverter converter = new FiltersJsonConverter();
		TypeDescriptor text = TypeDescriptor.valueOf(String.class);
		assertThat(converter.matches(text, TypeDescriptor.collection(List.class, TypeDescriptor.valueOf(String.class))))
			.isFalse();
		assertThat(converter.matches(text, TypeDescriptor.valueOf(List.class))).isFalse();
		assertThat(converter.matches(text,
				TypeDescriptor.collection(List.class, TypeDescriptor.valueOf(ArvadosEventsProperties.Filter.class))))
			.isTrue();
	}

	private static ContextConsumer<AssertableApplicationContext> hasFilters(EventFilter... filters) {
		return hasFilters(List.of(filters));
	}

	private static ContextConsumer<AssertableApplicationContext> hasFilters(List<EventFilter> filters) {
		return (context) -> assertThat(context.getBean(ArvadosEventsProperties.class).toEventFilters())
			.containsExactlyElementsOf(filters);
	}

	private static ContextConsumer<AssertableApplicationContext> failsAtBinding(String name, String reason) {
		return (context) -> {
			assertThat(context).hasFailed();
			Throwable failure = context.getStartupFailure();
			assertThat(failure).rootCause().isInstanceOf(IllegalArgumentException.class);
			assertThat(FailureReports.of(failure)).startsWith("Failed to bind properties under '" + name + "'")
				.contains("Reason: ")
				.contains(reason);
			assertThat(findBindException(failure).getName()).hasToString(name);
		};
	}

	private static BindException findBindException(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof BindException bindException) {
				return bindException;
			}
		}
		throw new AssertionError("Not a binding failure", failure);
	}

	private static void loadYaml(ConfigurableEnvironment environment, String resource) {
		try {
			new YamlPropertySourceLoader().load(resource, new ClassPathResource(resource))
				.forEach(environment.getPropertySources()::addFirst);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}

package org.arvados.events.autoconfigure.actuate;

import org.arvados.events.actuate.ArvadosEventsEndpoint;
import org.arvados.events.autoconfigure.ArvadosEventHandlerAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The {@code arvadosevents} endpoint is there only where the application makes it available, as Boot's own are.
 */
class ArvadosEventsEndpointAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ArvadosEventHandlerAutoConfiguration.class,
				ArvadosEventsEndpointAutoConfiguration.class))
		.withPropertyValues("arvados.events.enabled=false");

	@Test
	void notThereUntilExposed() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(ArvadosEventsEndpoint.class));
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=arvadosevents")
			.run((context) -> assertThat(context).hasSingleBean(ArvadosEventsEndpoint.class));
		this.runner.withPropertyValues("management.endpoints.jmx.exposure.include=arvadosevents",
				"spring.jmx.enabled=true")
			.run((context) -> assertThat(context).hasSingleBean(ArvadosEventsEndpoint.class));
	}

	@Test
	void notThereWithoutActuatorNorWhenTurnedOff() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=arvadosevents")
			.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate.autoconfigure"))
			.run((context) -> assertThat(context).doesNotHaveBean(ArvadosEventsEndpoint.class));
		this.runner
			.withPropertyValues("management.endpoints.web.exposure.include=arvadosevents",
					"management.endpoint.arvadosevents.access=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(ArvadosEventsEndpoint.class));
	}

	@Test
	void itsWriteOperationReleasesAHeldEventAndRefusesWhatItDoesNotKnow() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=arvadosevents").run((context) -> {
			ArvadosEventsEndpoint endpoint = context.getBean(ArvadosEventsEndpoint.class);
			assertThat(endpoint.events()).containsEntry("held", java.util.List.of());
			assertThat(endpoint.act("release", 7L)).containsEntry("done", false).containsEntry("eventId", 7L);
			assertThatIllegalArgumentException().isThrownBy(() -> endpoint.act("drop", 7L))
				.withMessageContaining("Unknown action 'drop'");
			assertThatIllegalArgumentException().isThrownBy(() -> endpoint.act("release", null))
				.withMessageContaining("eventId");
		});
	}

}

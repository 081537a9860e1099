package org.arvados.events.autoconfigure.health;

import org.arvados.events.autoconfigure.ArvadosEventHandlerAutoConfiguration;
import org.arvados.events.autoconfigure.ArvadosEventsAutoConfiguration;
import org.arvados.events.health.ArvadosEventsHealthIndicator;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class ArvadosEventsHealthContributorAutoConfigurationTests {

	// Nothing listens on port 9: the stream keeps trying, so the health is not UP.
	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ArvadosEventHandlerAutoConfiguration.class,
				ArvadosEventsAutoConfiguration.class, ArvadosEventsHealthContributorAutoConfiguration.class))
		.withPropertyValues("arvados.events.endpoint=http://127.0.0.1:9", "arvados.events.token=secret-token-42",
				"arvados.events.websocket.url=ws://127.0.0.1:9/websocket");

	@Test
	void contributesTheHealthOfTheStream() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(ArvadosEventsHealthIndicator.class)
				.hasBean("arvadosEventsHealthIndicator");
			var health = context.getBean(ArvadosEventsHealthIndicator.class).health(true);
			assertThat(health.getStatus()).isIn(Status.UNKNOWN, Status.DOWN);
			assertThat(health.getDetails()).containsEntry("endpoint", "127.0.0.1").containsKey("mode");
			assertThat(health.toString()).doesNotContain("secret-token-42");
		});
	}

	@Test
	void backsOffWhenDisabledByTheManagementProperty() {
		this.runner.withPropertyValues("management.health.arvados-events.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ArvadosEventsHealthIndicator.class));
	}

	@Test
	void backsOffWithoutSpringBootHealth() {
		this.runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ArvadosEventsHealthIndicator.class));
	}

	@Test
	void backsOffWhenTheStreamIsDisabled() {
		this.runner.withPropertyValues("arvados.events.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ArvadosEventsHealthIndicator.class));
	}

	@Test
	void usesTheApplicationsOwnIndicatorOfThatName() {
		HealthIndicator own = () -> org.springframework.boot.health.contributor.Health.up().build();
		this.runner.withBean("arvadosEventsHealthIndicator", HealthIndicator.class, () -> own)
			.run((context) -> assertThat(context).doesNotHaveBean(ArvadosEventsHealthIndicator.class)
				.getBean("arvadosEventsHealthIndicator")
				.isSameAs(own));
	}

}

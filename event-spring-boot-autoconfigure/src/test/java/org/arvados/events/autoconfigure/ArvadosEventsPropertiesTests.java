package org.arvados.events.autoconfigure;

import java.nio.file.Path;

import org.arvados.events.subscription.StartFrom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesBindException;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ContextConsumer;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Bad values stop start-up while the properties are bound, with Boot's own report (property, value, origin,
 * reason), not with a bean creation stack trace.
 */
class ArvadosEventsPropertiesTests {

	private static final String INVALID = "java.lang.IllegalArgumentException: ";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ArvadosEventHandlerAutoConfiguration.class,
				ArvadosEventsAutoConfiguration.class))
		.withPropertyValues("arvados.events.endpoint=http://127.0.0.1:9", "arvados.events.token=secret-token-42",
				"arvados.events.websocket.url=ws://127.0.0.1:9/websocket");

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			queue-capacity                | -5     | must be from 1 to 1000000
			websocket.attempts            | 0      | must be positive
			websocket.retry-interval      | 0ms    | must be a positive duration
			websocket.heartbeat-timeout   | -1s    | must be a positive duration
			websocket.token-check-interval | 0s    | must be a positive duration
			queue-max-size                | 0B     | must be positive
			websocket.max-message-size    | 0B     | must be at least 1B and less than 2GB
			websocket.max-message-size    | 2GB    | must be at least 1B and less than 2GB
			websocket.url                 | ftp://ws.example.org/websocket | must be a ws:// or wss:// URL with a host
			polling.interval              | 0s     | must be a positive duration
			polling.limit                 | 0      | must be positive
			polling.initial-window        | -1h    | must be a positive duration
			gaps.timeout                  | 0s     | must be a positive duration
			gaps.max                      | -1     | must be positive
			reconnect.initial-interval    | 0ms    | must be a positive duration
			reconnect.max-interval        | -1s    | must be a positive duration
			reconnect.multiplier          | 0.5    | must be at least 1
			reconnect.jitter              | -1ms   | must be from 0s to 365d
			health.down-after             | 0s     | must be a positive duration
			caught-up-threshold           | 0s     | must be a positive duration
			""")
	void outOfRangeValuesFailAtBindingWithBootsReport(String property, String value, String reason) {
		String name = "arvados.events." + property;
		this.runner.withPropertyValues(name + "=" + value).run(failsBinding(name, value, INVALID + reason));
	}

	// Values that bind as numbers and durations but would overflow later, or take the memory at start.
	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			queue-capacity                | 2000000000 | must be from 1 to 1000000
			polling.interval              | 110000d    | must be a positive duration of at most 365d
			polling.initial-window        | 366d       | must be a positive duration of at most 365d
			checkpoint.interval           | 110000d    | must be a positive duration of at most 365d
			websocket.heartbeat-timeout   | 110000d    | must be a positive duration of at most 365d
			websocket.retry-interval      | 110000d    | must be a positive duration of at most 365d
			gaps.timeout                  | 110000d    | must be a positive duration of at most 365d
			reconnect.initial-interval    | 110000d    | must be a positive duration of at most 365d
			reconnect.max-interval        | 110000d    | must be a positive duration of at most 365d
			reconnect.jitter              | 110000d    | must be from 0s to 365d
			health.down-after             | 110000d    | must be a positive duration of at most 365d
			caught-up-threshold           | 110000d    | must be a positive duration of at most 365d
			""")
	void valuesTooLargeToBeMeantFailAtBindingNamingTheRange(String property, String value, String reason) {
		String name = "arvados.events." + property;
		this.runner.withPropertyValues(name + "=" + value).run(failsBinding(name, value, INVALID + reason));
	}

	@Test
	void aStartFromLongerAgoThanACenturyFailsAtBinding() {
		this.runner.withPropertyValues("arvados.events.start-from=110000d")
			.run(failsBinding("arvados.events.start-from", "110000d",
					"failed to convert java.lang.String to org.arvados.events.subscription.StartFrom (caused by "
							+ INVALID + "a duration before the start must be positive and at most 36500d, not PT2640000H)"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "/", "folder" })
	void aCheckpointFileThatIsAFolderFailsAtBindingWithoutAdvisingToDeleteIt(String file, @TempDir Path temp) {
		String value = file.equals("/") ? "/" : temp.toString();
		this.runner.withPropertyValues("arvados.events.checkpoint.file=" + value)
			.run(failsBinding("arvados.events.checkpoint.file", value,
					INVALID + "must be the path of a file, not of a folder"));
		this.runner.withPropertyValues("arvados.events.checkpoint.file=" + value)
			.run((context) -> assertThat(FailureReports.of(context.getStartupFailure())).doesNotContainIgnoringCase("delete"));
	}

	@Test
	void anEndpointThatIsNotAUrlFailsAtBinding() {
		this.runner.withPropertyValues("arvados.events.endpoint=not a url")
			.run(failsBinding("arvados.events.endpoint", "not a url",
					INVALID + "must be an http(s) URL or a host[:port], and 'not a url' is not a URL"));
		this.runner.withPropertyValues("arvados.events.endpoint=ftp://zzzzz.example.org")
			.run(failsBinding("arvados.events.endpoint", "ftp://zzzzz.example.org",
					INVALID + "must be an http(s) URL or a host[:port], not 'ftp://zzzzz.example.org'"));
		this.runner.withPropertyValues("arvados.events.endpoint=https://zzzzz.example.org/?x=1")
			.run(failsBinding("arvados.events.endpoint", "https://zzzzz.example.org/?x=1",
					INVALID + "must be the API's base URL, without a query or fragment"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "https://ws.zzzzz.example.org/websocket", "http://ws.zzzzz.example.org/websocket" })
	void aWebSocketUrlOfAnHttpSchemeFailsAtBinding(String url) {
		this.runner.withPropertyValues("arvados.events.websocket.url=" + url)
			.run(failsBinding("arvados.events.websocket.url", url, INVALID + "must be a ws:// or wss:// URL with a host"));
	}

	@Test
	void aWebSocketUrlThatDoesNotParseFailsAtBinding() {
		this.runner.withPropertyValues("arvados.events.websocket.url=not a url")
			.run(failsBinding("arvados.events.websocket.url", "not a url",
					"failed to convert java.lang.String to java.net.URI"));
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
			banana                | must be 'latest', 'checkpoint', a positive event id, an instant such as 2026-11-28T00:00:00Z or a duration before the start such as 1h or 30m, not 'banana'
			0                     | must be 'latest', 'checkpoint', a positive event id, an instant such as 2026-11-28T00:00:00Z or a duration before the start such as 1h or 30m, not '0'
			2026-11-28            | must be 'latest', 'checkpoint', a positive event id, an instant such as 2026-11-28T00:00:00Z or a duration before the start such as 1h or 30m, not '2026-11-28'
			2026-11-28T00:00:00   | must be 'latest', 'checkpoint', a positive event id, an instant such as 2026-11-28T00:00:00Z or a duration before the start such as 1h or 30m, not '2026-11-28T00:00:00'
			2999-01-01T00:00:00Z  | must not be in the future: 2999-01-01T00:00:00Z
			-1h                   | a duration before the start must be positive and at most 36500d, not PT-1H
			0s                    | a duration before the start must be positive and at most 36500d, not PT0S
			""")
	void aStartFromThatIsNoneOfItsFormsFailsAtBinding(String value, String reason) {
		this.runner.withPropertyValues("arvados.events.start-from=" + value)
			.run(failsBinding("arvados.events.start-from", value,
					"failed to convert java.lang.String to org.arvados.events.subscription.StartFrom (caused by "
							+ INVALID + reason + ")"));
	}

	@Test
	void startFromIsReadWhenBound() {
		this.runner.withPropertyValues("arvados.events.start-from=2026-11-28T00:00:00Z")
			.run((context) -> assertThat(context.getBean(ArvadosEventsProperties.class).getStartFrom())
				.isEqualTo(StartFrom.at(java.time.Instant.parse("2026-11-28T00:00:00Z"))));
		this.runner.withPropertyValues("arvados.events.start-from=2026-11-28T01:00:00+01:00")
			.run((context) -> assertThat(context.getBean(ArvadosEventsProperties.class).getStartFrom())
				.isEqualTo(StartFrom.at(java.time.Instant.parse("2026-11-28T00:00:00Z"))));
		this.runner.withPropertyValues("arvados.events.start-from=30m")
			.run((context) -> assertThat(context.getBean(ArvadosEventsProperties.class).getStartFrom())
				.isEqualTo(StartFrom.ago(java.time.Duration.ofMinutes(30))));
		this.runner.withPropertyValues("arvados.events.start-from=Checkpoint")
			.run((context) -> assertThat(context.getBean(ArvadosEventsProperties.class).getStartFrom())
				.isEqualTo(StartFrom.CHECKPOINT));
		this.runner.withPropertyValues("arvados.events.start-from=42")
			.run((context) -> assertThat(context.getBean(ArvadosEventsProperties.class).getStartFrom())
				.isEqualTo(new StartFrom(StartFrom.Kind.ID, 42)));
	}

	@Test
	void anUnknownTransportFailsAtBindingAndTheReportListsTheValidOnes() {
		this.runner.withPropertyValues("arvados.events.transport=carrier-pigeon")
			.run(failsBinding("arvados.events.transport", "carrier-pigeon",
					"failed to convert java.lang.String to org.arvados.events.subscription.Transport"));
		this.runner.withPropertyValues("arvados.events.transport=carrier-pigeon")
			.run((context) -> assertThat(FailureReports.of(context.getStartupFailure()))
				.contains("The following values are valid:")
				.contains("POLLING"));
	}

	@Test
	void aMaxIntervalBelowTheInitialIntervalFailsAtBinding() {
		this.runner
			.withPropertyValues("arvados.events.reconnect.initial-interval=2s",
					"arvados.events.reconnect.max-interval=1s")
			.run(failsValidation("arvados.events.reconnect.max-interval", "must not be below initial-interval (2000ms)"));
	}

	@Test
	void anSslBundleAndInsecureTogetherFailAtBinding() {
		this.runner.withPropertyValues("arvados.events.ssl.bundle=private-ca", "arvados.events.insecure=true")
			.run(failsValidation("arvados.events.insecure",
					"set either arvados.events.ssl.bundle or arvados.events.insecure=true, not both"));
	}

	@Test
	void valuesAtTheLimitsBind() {
		this.runner
			.withPropertyValues("arvados.events.queue-capacity=1", "arvados.events.websocket.max-message-size=2047MB",
					"arvados.events.polling.interval=365d", "arvados.events.start-from=36500d",
					"arvados.events.reconnect.initial-interval=1s", "arvados.events.reconnect.max-interval=1s",
					"arvados.events.reconnect.multiplier=1", "arvados.events.reconnect.jitter=0s",
					"arvados.events.endpoint=127.0.0.1:9/")
			.run((context) -> assertThat(context).hasNotFailed());
		this.runner
			.withPropertyValues("arvados.events.queue-capacity=1000000", "arvados.events.checkpoint.interval=365d",
					"arvados.events.websocket.heartbeat-timeout=365d", "arvados.events.reconnect.jitter=365d",
					"arvados.events.reconnect.max-interval=365d")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void theApplicationPrintsBootsReportInsteadOfAStackTrace(CapturedOutput output) {
		SpringApplication application = new SpringApplication(MinimalApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		assertThatException().isThrownBy(() -> application.run("--arvados.events.endpoint=http://127.0.0.1:9",
				"--arvados.events.token=t", "--arvados.events.queue-capacity=-5"));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Property: arvados.events.queue-capacity")
			.contains("Value: \"-5\"")
			.contains("Origin: \"arvados.events.queue-capacity\" from property source \"commandLineArgs\"")
			.contains("Reason: java.lang.IllegalArgumentException: must be from 1 to 1000000")
			.doesNotContain("BeanCreationException");
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ ArvadosEventHandlerAutoConfiguration.class, ArvadosEventsAutoConfiguration.class })
	static class MinimalApplication {

	}

	// A value that did not convert, or that its setter refused: the property as written, its value, its origin.
	private static ContextConsumer<AssertableApplicationContext> failsBinding(String property, String value,
			String reason) {
		return (context) -> {
			assertThat(context).hasFailed();
			Throwable failure = context.getStartupFailure();
			assertThat(bindFailure(failure).getCause()).isInstanceOf(BindException.class)
				.hasMessageStartingWith("Failed to bind properties under 'arvados.events");
			assertThat(FailureReports.of(failure)).startsWith("Failed to bind properties under 'arvados.events")
				.contains("Property: " + property + System.lineSeparator())
				.contains("Value: \"" + value + "\"")
				.contains("Origin: \"" + property + "\" from property source \"test\"")
				.contains("Reason: " + reason);
		};
	}

	// Values that are fine alone and not together: Boot names the field (in camel case) and the origin.
	private static ContextConsumer<AssertableApplicationContext> failsValidation(String property, String reason) {
		return (context) -> {
			assertThat(context).hasFailed();
			Throwable failure = context.getStartupFailure();
			assertThat(bindFailure(failure)).rootCause().isInstanceOf(BindValidationException.class);
			assertThat(FailureReports.of(failure)).startsWith("Binding to target ")
				.contains("Origin: \"" + property + "\" from property source \"test\"")
				.contains("Reason: " + reason);
		};
	}

	// Not a BeanCreationException of a bean method: the properties bean itself could not be bound.
	private static ConfigurationPropertiesBindException bindFailure(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof ConfigurationPropertiesBindException bindException) {
				assertThat(bindException.getBeanType()).isEqualTo(ArvadosEventsProperties.class);
				return bindException;
			}
		}
		throw new AssertionError("Not a binding failure", failure);
	}

}

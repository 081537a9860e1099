package org.arvados.events.autoconfigure.aot;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * An AOT build chose the beans once: a run-time value that would choose others stops the start, saying what to do;
 * one that chooses the same (another file) does not.
 */
class BeanSelectingPropertiesTests {

	@Test
	void eachPropertyIsReadAsItsConditionReadsIt() {
		MockEnvironment environment = new MockEnvironment().withProperty("arvados.events.checkpoint.file", " ")
			.withProperty("arvados.events.checkpoint.store", "JDBC")
			.withProperty("arvados.events.websocket.client", "Netty")
			.withProperty("arvados.events.handler-retry.exhausted", "Dead-Letter");
		assertThat(BeanSelectingProperties.choices(environment)).containsExactly(
				Map.entry("arvados.events.enabled", "true"), Map.entry("arvados.events.checkpoint.file", "not set"),
				Map.entry("arvados.events.checkpoint.store", "jdbc"),
				Map.entry("arvados.events.leader-election.enabled", "false"),
				Map.entry("arvados.events.leader-election.initiator", "lock-registry"),
				Map.entry("arvados.events.websocket.client", "netty"),
				Map.entry("arvados.events.handler-retry.exhausted", "dead-letter"),
				Map.entry("arvados.events.dead-letter.jdbc.initialize-schema", "not never"),
				Map.entry("arvados.events.kafka.topic", "not set"), Map.entry("arvados.events.kafka.enabled", "true"));
	}

	@Test
	void aCheckpointFileGivenOnlyAtRunTimeStopsTheStartSayingWhatToDo() {
		Map<String, String> built = BeanSelectingProperties.choices(new MockEnvironment());
		MockEnvironment atRunTime = new MockEnvironment().withProperty("arvados.events.checkpoint.file",
				"/var/lib/app/position.json");
		assertThatExceptionOfType(AotBuildMismatchException.class)
			.isThrownBy(() -> BeanSelectingProperties.check(atRunTime, built))
			.satisfies((ex) -> {
				assertThat(ex.getDifferences()).containsExactly(new AotBuildMismatchException.Difference(
						"arvados.events.checkpoint.file", "not set", "set"));
				FailureAnalysis analysis = new AotBuildMismatchFailureAnalyzer().analyze(ex);
				assertThat(analysis.getDescription())
					.contains("arvados.events.checkpoint.file is set (the build had it not set)")
					.contains("the position kept in memory");
				assertThat(analysis.getAction()).contains("-Dspring.aot.enabled=false")
					.contains("spring-boot:process-aot");
			});
	}

	@Test
	void anotherValueThatChoosesTheSameBeansIsNoDifference() {
		Map<String, String> built = BeanSelectingProperties
			.choices(new MockEnvironment().withProperty("arvados.events.checkpoint.file", "/build/position.json"));
		MockEnvironment atRunTime = new MockEnvironment()
			.withProperty("arvados.events.checkpoint.file", "/var/lib/app/position.json")
			.withProperty("arvados.events.dispatch", "direct");
		assertThatNoException().isThrownBy(() -> BeanSelectingProperties.check(atRunTime, built));
	}

	@Test
	void everyDifferenceIsNamed() {
		Map<String, String> built = BeanSelectingProperties.choices(new MockEnvironment());
		MockEnvironment atRunTime = new MockEnvironment().withProperty("arvados.events.leader-election.enabled", "true")
			.withProperty("arvados.events.websocket.client", "netty")
			.withProperty("arvados.events.enabled", "false");
		assertThatExceptionOfType(AotBuildMismatchException.class)
			.isThrownBy(() -> BeanSelectingProperties.check(atRunTime, built))
			.satisfies((ex) -> assertThat(ex.getDifferences()).extracting(AotBuildMismatchException.Difference::property)
				.containsExactly("arvados.events.enabled", "arvados.events.leader-election.enabled",
						"arvados.events.websocket.client"));
	}

}

package org.arvados.events.autoconfigure;

import org.arvados.events.autoconfigure.MissingArvadosSettingException.Setting;
import org.junit.jupiter.api.Test;

import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

@ExtendWith(OutputCaptureExtension.class)
class MissingArvadosSettingFailureAnalyzerTests {

	@Test
	void saysWhichPropertyOrVariableToSet() {
		FailureAnalysis analysis = new MissingArvadosSettingFailureAnalyzer().analyze(
				new BeanCreationException("arvadosConnectionDetails", "failed",
						new MissingArvadosSettingException(Setting.TOKEN)));
		assertThat(analysis.getDescription()).isEqualTo("No Arvados API token is configured, so events cannot be followed.");
		assertThat(analysis.getAction()).contains("'arvados.events.token'").contains("'ARVADOS_API_TOKEN'");
	}

	@Test
	void startUpFailsWithTwoLinesInsteadOfAStackTrace(CapturedOutput output) {
		SpringApplication application = new SpringApplication(MinimalApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		// Command-line arguments outrank a developer's own ARVADOS_API_* environment variables.
		assertThatException().isThrownBy(() -> application.run("--ARVADOS_API_HOST=", "--ARVADOS_API_TOKEN=t"));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("No Arvados API endpoint is configured, so events cannot be followed.")
			.contains("Set the property 'arvados.events.endpoint' or the environment variable 'ARVADOS_API_HOST'");
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ ArvadosEventHandlerAutoConfiguration.class, ArvadosEventsAutoConfiguration.class })
	static class MinimalApplication {

	}

}

package org.arvados.events.autoconfigure.actuate;

import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration that keeps the Arvados API token out of the {@code configprops} and {@code env} endpoints,
 * even with {@code show-values: always}: Boot then shows every value, and neither the property's name nor the
 * variable's is one it would mask by itself.
 */
@AutoConfiguration
@ConditionalOnClass(SanitizingFunction.class)
public final class ArvadosEventsSanitizingAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "arvadosTokenSanitizingFunction")
	SanitizingFunction arvadosTokenSanitizingFunction() {
		return SanitizingFunction.sanitizeValue()
			.ifKeyMatchesIgnoringCase(String::equals, "arvados.events.token", "arvados_events_token", "ARVADOS_API_TOKEN");
	}

}

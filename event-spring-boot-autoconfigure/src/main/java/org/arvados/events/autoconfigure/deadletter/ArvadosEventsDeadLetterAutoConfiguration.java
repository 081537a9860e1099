package org.arvados.events.autoconfigure.deadletter;

import javax.sql.DataSource;

import org.arvados.events.autoconfigure.ArvadosConnectionDetails;
import org.arvados.events.autoconfigure.ArvadosEventHandlerAutoConfiguration;
import org.arvados.events.autoconfigure.ArvadosEventsAutoConfiguration;
import org.arvados.events.deadletter.DeadLetterRedactor;
import org.arvados.events.deadletter.EventDeadLetterStore;
import org.arvados.events.deadletter.JdbcEventDeadLetterStore;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.init.DataSourceScriptDatabaseInitializer;
import org.springframework.boot.sql.autoconfigure.init.OnDatabaseInitializationCondition;
import org.springframework.boot.sql.init.dependency.DatabaseInitializationDependencyConfigurer;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Auto-configuration of the {@link EventDeadLetterStore} when the handlers' spent retries end in a dead letter
 * ({@code arvados.events.handler-retry.exhausted=dead-letter}): a {@link JdbcEventDeadLetterStore} on the
 * application's {@link DataSource}, whose table Spring Boot creates as
 * {@code arvados.events.dead-letter.jdbc.initialize-schema} says. An application's own store replaces it.
 */
@AutoConfiguration(before = { ArvadosEventsAutoConfiguration.class, ArvadosEventHandlerAutoConfiguration.class },
		afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnBooleanProperty(name = "arvados.events.enabled", matchIfMissing = true)
@ConditionalOnProperty(name = "arvados.events.handler-retry.exhausted", havingValue = "dead-letter")
@ConditionalOnClass({ JdbcClient.class, DataSourceScriptDatabaseInitializer.class })
@ConditionalOnSingleCandidate(DataSource.class)
@EnableConfigurationProperties(ArvadosEventsDeadLetterProperties.class)
public final class ArvadosEventsDeadLetterAutoConfiguration {

	// The table is created only for the starter's store: an application's own store keeps its letters elsewhere.
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingBean(EventDeadLetterStore.class)
	@Import(DatabaseInitializationDependencyConfigurer.class)
	static class JdbcStoreConfiguration {

		// The configured token is masked too: a v1 token has no shape by which to find it.
		@Bean
		@ConditionalOnMissingBean(EventDeadLetterStore.class)
		@DependsOnDatabaseInitialization
		JdbcEventDeadLetterStore arvadosEventDeadLetterStore(DataSource dataSource,
				ArvadosEventsDeadLetterProperties properties, ObjectProvider<ArvadosConnectionDetails> details) {
			ArvadosConnectionDetails connection = details.getIfAvailable();
			return new JdbcEventDeadLetterStore(dataSource, properties.getJdbc().getTablePrefix(),
					new DeadLetterRedactor((connection != null) ? connection.token() : null));
		}

		@Bean
		@ConditionalOnMissingBean(DeadLetterDataSourceScriptDatabaseInitializer.class)
		@Conditional(OnDeadLetterDatabaseInitializationCondition.class)
		DeadLetterDataSourceScriptDatabaseInitializer arvadosDeadLetterDataSourceScriptDatabaseInitializer(
				DataSource dataSource, ArvadosEventsDeadLetterProperties properties) {
			return new DeadLetterDataSourceScriptDatabaseInitializer(dataSource, properties.getJdbc());
		}

	}

	static class OnDeadLetterDatabaseInitializationCondition extends OnDatabaseInitializationCondition {

		OnDeadLetterDatabaseInitializationCondition() {
			super("Arvados events dead letter", "arvados.events.dead-letter.jdbc.initialize-schema");
		}

	}

}

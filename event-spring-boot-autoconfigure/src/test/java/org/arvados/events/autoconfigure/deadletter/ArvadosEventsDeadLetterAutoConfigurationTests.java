package org.arvados.events.autoconfigure.deadletter;

import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import org.arvados.events.ArvadosEvent;
import org.arvados.events.checkpoint.TestPostgres;
import org.arvados.events.deadletter.DeadLetter;
import org.arvados.events.deadletter.EventDeadLetterStore;
import org.arvados.events.deadletter.JdbcEventDeadLetterStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.init.DataSourceScriptDatabaseInitializer;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the starter's dead-letter store and its table's initializer are there, and when not.
 */
class ArvadosEventsDeadLetterAutoConfigurationTests {

	private static DataSource database;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ArvadosEventsDeadLetterAutoConfiguration.class))
		.withPropertyValues("arvados.events.handler-retry.exhausted=dead-letter");

	@BeforeAll
	static void newDatabase() {
		database = TestPostgres.newDatabase();
	}

	@Test
	void aDataSourceAndDeadLetterExhaustionGiveTheJdbcStoreAndItsInitializer() {
		this.runner.withBean(DataSource.class, () -> database).run((context) -> {
			assertThat(context).hasSingleBean(JdbcEventDeadLetterStore.class)
				.hasSingleBean(DeadLetterDataSourceScriptDatabaseInitializer.class);
			assertThat(context.getBean(JdbcEventDeadLetterStore.class).getTableName())
				.isEqualTo("ARVADOS_EVENTS_DEAD_LETTER");
		});
	}

	@Test
	void theTablePrefixNamesTheTable() {
		this.runner.withBean(DataSource.class, () -> database)
			.withPropertyValues("arvados.events.dead-letter.jdbc.table-prefix=events.APP_")
			.run((context) -> assertThat(context.getBean(JdbcEventDeadLetterStore.class).getTableName())
				.isEqualTo("events.APP_DEAD_LETTER"));
	}

	@Test
	void aTablePrefixThatIsNoNameStopsTheStartWithTheBindingReport() {
		this.runner.withBean(DataSource.class, () -> database)
			.withPropertyValues("arvados.events.dead-letter.jdbc.table-prefix=X; DROP TABLE Y; --")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessage("must be letters, digits, '_' and '.'"));
	}

	@Test
	void withoutTheExhaustedPropertyThereIsNoStore() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ArvadosEventsDeadLetterAutoConfiguration.class))
			.withBean(DataSource.class, () -> database)
			.run((context) -> assertThat(context).doesNotHaveBean(EventDeadLetterStore.class)
				.doesNotHaveBean(DeadLetterDataSourceScriptDatabaseInitializer.class));
	}

	@Test
	void anotherExhaustedValueGivesNoStore() {
		this.runner.withBean(DataSource.class, () -> database)
			.withPropertyValues("arvados.events.handler-retry.exhausted=log")
			.run((context) -> assertThat(context).doesNotHaveBean(EventDeadLetterStore.class));
	}

	@Test
	void withoutADataSourceThereIsNoStore() {
		this.runner.run((context) -> assertThat(context).hasNotFailed()
			.doesNotHaveBean(EventDeadLetterStore.class)
			.doesNotHaveBean(DeadLetterDataSourceScriptDatabaseInitializer.class));
	}

	@Test
	void ofTwoDataSourcesNeitherPrimaryNoneIsChosen() {
		this.runner.withBean("one", DataSource.class, () -> database)
			.withBean("two", DataSource.class, () -> database)
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(EventDeadLetterStore.class));
	}

	@Test
	void theApplicationsOwnStoreIsUsedAndNoTableIsCreated() {
		this.runner.withBean(DataSource.class, () -> database)
			.withBean(EventDeadLetterStore.class, OwnStore::new)
			.run((context) -> {
				assertThat(context).hasSingleBean(EventDeadLetterStore.class)
					.doesNotHaveBean(DeadLetterDataSourceScriptDatabaseInitializer.class);
				assertThat(context.getBean(EventDeadLetterStore.class)).isInstanceOf(OwnStore.class);
			});
	}

	@Test
	void theApplicationsOwnInitializerReplacesTheStarters() {
		DeadLetterDataSourceScriptDatabaseInitializer own = new DeadLetterDataSourceScriptDatabaseInitializer(database,
				new ArvadosEventsDeadLetterProperties.Jdbc());
		this.runner.withBean(DataSource.class, () -> database)
			.withBean("ownInitializer", DeadLetterDataSourceScriptDatabaseInitializer.class, () -> own)
			.run((context) -> assertThat(context).getBean(DeadLetterDataSourceScriptDatabaseInitializer.class)
				.isSameAs(own));
	}

	@Test
	void initializationNeverGivesTheStoreWithoutTheInitializer() {
		this.runner.withBean(DataSource.class, () -> database)
			.withPropertyValues("arvados.events.dead-letter.jdbc.initialize-schema=never")
			.run((context) -> assertThat(context).hasSingleBean(JdbcEventDeadLetterStore.class)
				.doesNotHaveBean(DeadLetterDataSourceScriptDatabaseInitializer.class));
	}

	@Test
	void withTheStreamOffThereIsNoStore() {
		this.runner.withBean(DataSource.class, () -> database)
			.withPropertyValues("arvados.events.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(EventDeadLetterStore.class));
	}

	@Test
	void withoutSpringJdbcOrBootsJdbcSupportThereIsNoStore() {
		this.runner.withBean(DataSource.class, () -> database)
			.withClassLoader(new FilteredClassLoader(JdbcClient.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(EventDeadLetterStore.class));
		this.runner.withBean(DataSource.class, () -> database)
			.withClassLoader(new FilteredClassLoader(DataSourceScriptDatabaseInitializer.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(EventDeadLetterStore.class));
	}

	static class OwnStore implements EventDeadLetterStore {

		@Override
		public DeadLetter add(ArvadosEvent event, String handler, Throwable failure, int attempts) {
			throw new UnsupportedOperationException();
		}

		@Override
		public List<DeadLetter> list(int max) {
			return List.of();
		}

		@Override
		public List<DeadLetter> list(String handler, int max) {
			return List.of();
		}

		@Override
		public Optional<DeadLetter> find(long id) {
			return Optional.empty();
		}

		@Override
		public boolean remove(long id) {
			return false;
		}

		@Override
		public long count() {
			return 0;
		}

	}

}

package org.arvados.events.autoconfigure.checkpoint;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import org.arvados.events.autoconfigure.ArvadosEventHandlerAutoConfiguration;
import org.arvados.events.autoconfigure.ArvadosEventsAutoConfiguration;
import org.arvados.events.autoconfigure.ArvadosEventsProperties;
import org.arvados.events.checkpoint.Checkpoint;
import org.arvados.events.checkpoint.EventCheckpointStore;
import org.arvados.events.checkpoint.FileEventCheckpointStore;
import org.arvados.events.checkpoint.InMemoryEventCheckpointStore;
import org.arvados.events.checkpoint.MetadataStoreEventCheckpointStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.FailureHandler;
import org.springframework.integration.jdbc.metadata.JdbcMetadataStore;
import org.springframework.integration.metadata.ConcurrentMetadataStore;
import org.springframework.integration.metadata.SimpleMetadataStore;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which checkpoint store an application gets. A JDBC store reaches its database only when the position is first
 * read or written, so these tests need none; {@code JdbcCheckpointStoreTests} runs it on PostgreSQL.
 */
class ArvadosEventsCheckpointAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ArvadosEventsCheckpointAutoConfiguration.class));

	@TempDir
	Path folder;

	@Test
	void aFileSelectsTheFileStoreWhichTheContextReleasesWhenItCloses() {
		Path file = this.folder.resolve("arvados-events.checkpoint");
		this.runner.withPropertyValues("arvados.events.checkpoint.file=" + file).run((context) -> {
			assertThat(context).hasSingleBean(EventCheckpointStore.class);
			FileEventCheckpointStore store = context.getBean(FileEventCheckpointStore.class);
			assertThat(store.getFile()).isEqualTo(file);
			store.save(Checkpoint.after(1207));
		});
		try (FileEventCheckpointStore next = new FileEventCheckpointStore(file)) {
			assertThat(next.load()).contains(Checkpoint.after(1207));
		}
	}

	@Test
	void aFileInUseStopsTheStartSayingWhatToDo() {
		Path file = this.folder.resolve("arvados-events.checkpoint");
		try (FileEventCheckpointStore other = new FileEventCheckpointStore(file)) {
			this.runner.withPropertyValues("arvados.events.checkpoint.file=" + file).run((context) -> {
				assertThat(context).hasFailed();
				assertThat(report(context.getStartupFailure()))
					.startsWith("The Arvados events checkpoint file " + file + " is in use by another store")
					.contains("Stop the other instance, or give each instance a file of its own");
			});
		}
	}

	@Test
	void jdbcSelectsAJdbcMetadataStoreOnTheDataSourceUnderTheApplicationsName() {
		this.runner.withBean(DataSource.class, PGSimpleDataSource::new)
			.withPropertyValues("arvados.events.checkpoint.store=jdbc", "spring.application.name=orders")
			.run((context) -> {
				assertThat(context).hasSingleBean(EventCheckpointStore.class).doesNotHaveBean(JdbcMetadataStore.class);
				MetadataStoreEventCheckpointStore store = context.getBean(MetadataStoreEventCheckpointStore.class);
				assertThat(store.getKey()).isEqualTo("orders");
				assertThat(store).hasToString(
						"MetadataStoreEventCheckpointStore[JdbcMetadataStore (table INT_METADATA_STORE), key=orders]");
			});
	}

	@Test
	void theKeyIsThePropertyElseTheApplicationsNameElseArvadosEvents() {
		ApplicationContextRunner jdbc = this.runner.withBean(DataSource.class, PGSimpleDataSource::new)
			.withPropertyValues("arvados.events.checkpoint.store=jdbc");
		jdbc.run((context) -> assertThat(context.getBean(MetadataStoreEventCheckpointStore.class).getKey())
			.isEqualTo("arvados-events"));
		jdbc.withPropertyValues("spring.application.name=orders", "arvados.events.checkpoint.key=orders-eu")
			.run((context) -> assertThat(context.getBean(MetadataStoreEventCheckpointStore.class).getKey())
				.isEqualTo("orders-eu"));
	}

	@Test
	void jdbcUsesTheApplicationsOwnMetadataStoreRatherThanTheDataSource() {
		SimpleMetadataStore own = new SimpleMetadataStore();
		this.runner.withBean(DataSource.class, PGSimpleDataSource::new)
			.withBean(ConcurrentMetadataStore.class, () -> own)
			.withPropertyValues("arvados.events.checkpoint.store=jdbc", "arvados.events.checkpoint.key=orders")
			.run((context) -> {
				context.getBean(EventCheckpointStore.class).save(Checkpoint.after(1207));
				assertThat(own.get("orders")).isEqualTo("{\"v\":1,\"term\":1,\"highest\":1207,\"gaps\":[]}");
			});
	}

	@Test
	void jdbcWithSeveralMetadataStoresTakesThePrimaryOne() {
		SimpleMetadataStore primary = new SimpleMetadataStore();
		this.runner.withBean("other", ConcurrentMetadataStore.class, SimpleMetadataStore::new)
			.withBean("primary", ConcurrentMetadataStore.class, () -> primary, (definition) -> definition.setPrimary(true))
			.withPropertyValues("arvados.events.checkpoint.store=jdbc", "arvados.events.checkpoint.key=orders")
			.run((context) -> {
				context.getBean(EventCheckpointStore.class).save(Checkpoint.after(1207));
				assertThat(primary.get("orders")).isNotNull();
			});
		this.runner.withBean("one", ConcurrentMetadataStore.class, SimpleMetadataStore::new)
			.withBean("other", ConcurrentMetadataStore.class, SimpleMetadataStore::new)
			.withBean(DataSource.class, PGSimpleDataSource::new)
			.withPropertyValues("arvados.events.checkpoint.store=jdbc")
			.run((context) -> assertThat(report(context.getStartupFailure()))
				.contains("mark one @Primary if there are several"));
	}

	@Test
	void jdbcWithoutADataSourceOrMetadataStoreStopsTheStartRatherThanKeepThePositionInMemory() {
		this.runner.withPropertyValues("arvados.events.checkpoint.store=jdbc").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(report(context.getStartupFailure())).startsWith(
					"arvados.events.checkpoint.store=jdbc is set, but there is neither one Spring Integration "
							+ "ConcurrentMetadataStore bean nor spring-integration-jdbc with one DataSource")
				.contains("Add org.springframework.integration:spring-integration-jdbc and a DataSource");
		});
	}

	@Test
	void jdbcWithoutSpringIntegrationJdbcStopsTheStart() {
		this.runner.withClassLoader(new FilteredClassLoader(JdbcMetadataStore.class))
			.withBean(DataSource.class, PGSimpleDataSource::new)
			.withPropertyValues("arvados.events.checkpoint.store=jdbc")
			.run((context) -> assertThat(report(context.getStartupFailure()))
				.contains("Add org.springframework.integration:spring-integration-jdbc"));
	}

	@Test
	void withoutSpringIntegrationTheFileStoreAndTheDefaultStillWork() {
		FilteredClassLoader noIntegration = new FilteredClassLoader("org.springframework.integration");
		this.runner.withClassLoader(noIntegration)
			.withPropertyValues("arvados.events.checkpoint.file=" + this.folder.resolve("c"))
			.run((context) -> assertThat(context).hasSingleBean(FileEventCheckpointStore.class));
		withTheSubscription().withClassLoader(noIntegration)
			.run((context) -> assertThat(context.getBean(EventCheckpointStore.class))
				.isInstanceOf(InMemoryEventCheckpointStore.class));
	}

	@Test
	void withoutAStoreSetThePositionStaysInMemoryEvenWithAMetadataStoreAndADataSource() {
		withTheSubscription().withBean(DataSource.class, PGSimpleDataSource::new)
			.withBean(ConcurrentMetadataStore.class, SimpleMetadataStore::new)
			.run((context) -> assertThat(context).getBean(EventCheckpointStore.class)
				.isInstanceOf(InMemoryEventCheckpointStore.class));
		withTheSubscription().withBean(DataSource.class, PGSimpleDataSource::new)
			.withPropertyValues("arvados.events.checkpoint.store=memory")
			.run((context) -> assertThat(context).getBean(EventCheckpointStore.class)
				.isInstanceOf(InMemoryEventCheckpointStore.class));
	}

	@Test
	void theApplicationsOwnStoreWins() {
		EventCheckpointStore own = new InMemoryEventCheckpointStore();
		this.runner.withBean(EventCheckpointStore.class, () -> own)
			.withBean(DataSource.class, PGSimpleDataSource::new)
			.withPropertyValues("arvados.events.checkpoint.store=jdbc")
			.run((context) -> assertThat(context).getBean(EventCheckpointStore.class).isSameAs(own));
		this.runner.withBean(EventCheckpointStore.class, () -> own)
			.withPropertyValues("arvados.events.checkpoint.file=" + this.folder.resolve("c"))
			.run((context) -> assertThat(context).getBean(EventCheckpointStore.class).isSameAs(own));
	}

	@Test
	void aBlankFileIsNoFileAndAnUnresolvedPlaceholderFailsBinding() {
		withTheSubscription().withPropertyValues("arvados.events.checkpoint.file= ")
			.run((context) -> assertThat(context).getBean(EventCheckpointStore.class)
				.isInstanceOf(InMemoryEventCheckpointStore.class));
		this.runner.withPropertyValues("arvados.events.checkpoint.file=${CHECKPOINT_FILE}")
			.run((context) -> assertThat(report(context.getStartupFailure()))
				.contains("Property: arvados.events.checkpoint.file" + System.lineSeparator())
				.contains("Reason: java.lang.IllegalArgumentException: a ${…} placeholder that nothing resolved"));
	}

	@Test
	void backsOffWhenDisabled() {
		this.runner.withPropertyValues("arvados.events.enabled=false",
				"arvados.events.checkpoint.file=" + this.folder.resolve("c"))
			.run((context) -> assertThat(context).doesNotHaveBean(EventCheckpointStore.class));
		assertThat(this.folder.resolve("c.lock")).doesNotExist();
	}

	@Test
	void aFileAndAStoreTogetherFailBindingNamingBoth() {
		this.runner.withBean(DataSource.class, PGSimpleDataSource::new)
			.withPropertyValues("arvados.events.checkpoint.file=" + this.folder.resolve("c"),
					"arvados.events.checkpoint.store=jdbc")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(report(context.getStartupFailure()))
					.startsWith("Binding to target ")
					.contains("Origin: \"arvados.events.checkpoint.store\" from property source \"test\"")
					.contains("Reason: set either arvados.events.checkpoint.file or "
							+ "arvados.events.checkpoint.store, not both");
			});
	}

	@Test
	void theIntervalDefaultsToOneSecondAndMustBePositiveAndTheKeyNotBlank() {
		this.runner.run((context) -> {
			ArvadosEventsProperties.Checkpoint checkpoint = context.getBean(ArvadosEventsProperties.class)
				.getCheckpoint();
			assertThat(checkpoint.getInterval()).isEqualTo(Duration.ofSeconds(1));
			assertThat(checkpoint.getStore()).isNull();
			assertThat(checkpoint.getKey()).isNull();
		});
		for (List<String> bad : List.of(List.of("interval", "0s", "must be a positive duration"),
				List.of("interval", "-1s", "must be a positive duration"), List.of("key", " ", "must not be blank"))) {
			this.runner.withPropertyValues("arvados.events.checkpoint." + bad.get(0) + "=" + bad.get(1))
				.run((context) -> assertThat(report(context.getStartupFailure()))
					.startsWith("Failed to bind properties under 'arvados.events.checkpoint'")
					.contains("Property: arvados.events.checkpoint." + bad.get(0) + System.lineSeparator())
					.contains("Reason: java.lang.IllegalArgumentException: " + bad.get(2)));
		}
	}

	// Nothing listens on port 9: the subscription starts and retries quietly while the test looks at the beans.
	private ApplicationContextRunner withTheSubscription() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ArvadosEventHandlerAutoConfiguration.class,
					ArvadosEventsCheckpointAutoConfiguration.class, ArvadosEventsAutoConfiguration.class))
			.withPropertyValues("arvados.events.endpoint=http://127.0.0.1:9", "arvados.events.token=secret-token-42",
					"arvados.events.websocket.url=ws://127.0.0.1:9/websocket");
	}

	// What Spring Boot prints under "APPLICATION FAILED TO START": the first analysis of the registered analyzers.
	private static String report(Throwable failure) {
		assertThat(failure).as("a start-up failure").isNotNull();
		List<FailureAnalyzer> analyzers = SpringFactoriesLoader
			.forDefaultResourceLocation(ArvadosEventsCheckpointAutoConfigurationTests.class.getClassLoader())
			.load(FailureAnalyzer.class, FailureHandler.handleMessage((message, ex) -> {
			}));
		for (FailureAnalyzer analyzer : analyzers) {
			FailureAnalysis analysis = analyzer.analyze(failure);
			if (analysis != null) {
				return analysis.getDescription() + System.lineSeparator() + analysis.getAction();
			}
		}
		throw new AssertionError("No failure analyzer describes " + failure, failure);
	}

}

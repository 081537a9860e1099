package org.arvados.events.autoconfigure.checkpoint;

import java.io.UncheckedIOException;
import java.nio.file.Path;

import javax.sql.DataSource;

import org.arvados.events.autoconfigure.ArvadosEventsAutoConfiguration;
import org.arvados.events.autoconfigure.ArvadosEventsProperties;
import org.arvados.events.checkpoint.EventCheckpointStore;
import org.arvados.events.checkpoint.FileEventCheckpointStore;
import org.arvados.events.checkpoint.MetadataStoreEventCheckpointStore;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.condition.NoneNestedConditions;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.integration.jdbc.metadata.JdbcMetadataStore;
import org.springframework.integration.metadata.ConcurrentMetadataStore;
import org.springframework.util.StringUtils;

/**
 * Auto-configuration of a durable {@link EventCheckpointStore}: a file when {@code arvados.events.checkpoint.file}
 * is set; with {@code arvados.events.checkpoint.store=jdbc}, the application's Spring Integration
 * {@link ConcurrentMetadataStore}, else a {@link JdbcMetadataStore} on its {@link DataSource}. Otherwise
 * {@link ArvadosEventsAutoConfiguration} keeps the position in memory.
 */
@AutoConfiguration(before = ArvadosEventsAutoConfiguration.class,
		afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnBooleanProperty(name = "arvados.events.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ArvadosEventsProperties.class)
public final class ArvadosEventsCheckpointAutoConfiguration {

	private static final String FILE = "arvados.events.checkpoint.file";

	private static final String STORE = "arvados.events.checkpoint.store";

	private static final String METADATA_STORE = "org.springframework.integration.metadata.ConcurrentMetadataStore";

	private static final String JDBC_METADATA_STORE = "org.springframework.integration.jdbc.metadata.JdbcMetadataStore";

	static String key(ArvadosEventsProperties properties, Environment environment) {
		String key = properties.getCheckpoint().getKey();
		if (key != null) {
			return key;
		}
		String name = environment.getProperty("spring.application.name");
		return StringUtils.hasText(name) ? name : "arvados-events";
	}

	@Configuration(proxyBeanMethods = false)
	@Conditional(OnCheckpointFile.class)
	static class FileStoreConfiguration {

		@Bean
		@ConditionalOnMissingBean(EventCheckpointStore.class)
		FileEventCheckpointStore arvadosFileEventCheckpointStore(ArvadosEventsProperties properties) {
			Path file = properties.getCheckpoint().getFile();
			try {
				return new FileEventCheckpointStore(file);
			}
			catch (IllegalStateException ex) {
				throw new CheckpointStoreSetupException(ex.getMessage(), "Stop the other instance, or give each "
						+ "instance a file of its own (arvados.events.checkpoint.file), or share a database store "
						+ "(arvados.events.checkpoint.store=jdbc) with leader election.", ex);
			}
			catch (UncheckedIOException ex) {
				throw new CheckpointStoreSetupException(ex.getMessage(), "Let the application write to the folder of "
						+ "arvados.events.checkpoint.file, or point it at a folder it can write to.", ex);
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ConcurrentMetadataStore.class)
	@ConditionalOnProperty(name = STORE, havingValue = "jdbc")
	@ConditionalOnSingleCandidate(ConcurrentMetadataStore.class)
	static class ApplicationMetadataStoreConfiguration {

		@Bean
		@ConditionalOnMissingBean(EventCheckpointStore.class)
		MetadataStoreEventCheckpointStore arvadosMetadataStoreEventCheckpointStore(ConcurrentMetadataStore store,
				ArvadosEventsProperties properties, Environment environment) {
			// The application's own JdbcMetadataStore has the same column as the starter's.
			return isJdbcMetadataStore(store)
					? new MetadataStoreEventCheckpointStore(store, key(properties, environment),
							"JdbcMetadataStore (the application's)", DeferredJdbcMetadataStore.MAX_VALUE_LENGTH)
					: new MetadataStoreEventCheckpointStore(store, key(properties, environment));
		}

		// By name: spring-integration-jdbc need not be on the class path.
		private static boolean isJdbcMetadataStore(ConcurrentMetadataStore store) {
			for (Class<?> type = store.getClass(); type != null; type = type.getSuperclass()) {
				if (type.getName().equals(JDBC_METADATA_STORE)) {
					return true;
				}
			}
			return false;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ ConcurrentMetadataStore.class, JdbcMetadataStore.class })
	@ConditionalOnProperty(name = STORE, havingValue = "jdbc")
	@ConditionalOnMissingBean(ConcurrentMetadataStore.class)
	@ConditionalOnSingleCandidate(DataSource.class)
	static class JdbcMetadataStoreConfiguration {

		// Not a JdbcMetadataStore bean: that one reaches the database while the context starts.
		@Bean
		@ConditionalOnMissingBean(EventCheckpointStore.class)
		MetadataStoreEventCheckpointStore arvadosJdbcEventCheckpointStore(DataSource dataSource,
				ArvadosEventsProperties properties, Environment environment) {
			return new MetadataStoreEventCheckpointStore(new DeferredJdbcMetadataStore(dataSource),
					key(properties, environment), DeferredJdbcMetadataStore.NAME,
					DeferredJdbcMetadataStore.MAX_VALUE_LENGTH);
		}

	}

	// Says why neither of the two above applies, rather than fall back to memory: the conditions do not depend on the
	// order in which the configurations are read.
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = STORE, havingValue = "jdbc")
	@Conditional(NoMetadataStore.class)
	static class UnsatisfiedJdbcStoreConfiguration {

		@Bean
		@ConditionalOnMissingBean(EventCheckpointStore.class)
		EventCheckpointStore arvadosUnsatisfiedEventCheckpointStore() {
			throw new CheckpointStoreSetupException("arvados.events.checkpoint.store=jdbc is set, but there is "
					+ "neither one Spring Integration ConcurrentMetadataStore bean nor spring-integration-jdbc with "
					+ "one DataSource to keep the Arvados events position in.",
					"Add org.springframework.integration:spring-integration-jdbc and a DataSource (e.g. "
							+ "spring-boot-starter-jdbc and a JDBC driver), or declare one ConcurrentMetadataStore "
							+ "bean (mark one @Primary if there are several).");
		}

	}

	// Blank is not set, as with ${CHECKPOINT_FILE:} when the variable is not; an unresolvable placeholder is set,
	// and the binding then says what is wrong with it.
	static class OnCheckpointFile extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			ConditionMessage.Builder message = ConditionMessage.forCondition("Checkpoint file");
			String file;
			try {
				file = context.getEnvironment().getProperty(FILE);
			}
			catch (IllegalArgumentException ex) {
				return ConditionOutcome.match(message.found("unresolvable property").items(FILE));
			}
			return StringUtils.hasText(file) ? ConditionOutcome.match(message.found("property").items(FILE))
					: ConditionOutcome.noMatch(message.didNotFind("property").items(FILE));
		}

	}

	static class NoMetadataStore extends NoneNestedConditions {

		NoMetadataStore() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnSingleCandidate(type = METADATA_STORE)
		static class ApplicationMetadataStore {

		}

		@ConditionalOnClass(name = { METADATA_STORE, JDBC_METADATA_STORE })
		@ConditionalOnMissingBean(type = METADATA_STORE)
		@ConditionalOnSingleCandidate(DataSource.class)
		static class JdbcMetadataStoreOnADataSource {

		}

	}

}

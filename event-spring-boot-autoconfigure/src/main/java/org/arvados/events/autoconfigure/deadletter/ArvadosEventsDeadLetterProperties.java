package org.arvados.events.autoconfigure.deadletter;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.sql.init.DatabaseInitializationMode;

/**
 * Where the events whose handler failed for good are set aside ({@code arvados.events.dead-letter.*}), with
 * {@code arvados.events.handler-retry.exhausted=dead-letter}.
 */
@ConfigurationProperties("arvados.events.dead-letter")
public class ArvadosEventsDeadLetterProperties {

	private final Jdbc jdbc = new Jdbc();

	public Jdbc getJdbc() {
		return this.jdbc;
	}

	/**
	 * The dead letters in a table of the application's {@code DataSource}.
	 */
	public static class Jdbc {

		/**
		 * Whether Spring Boot creates the dead-letter table: 'embedded' (on an embedded database only), 'always' or
		 * 'never'. The script creates it only when it is missing.
		 */
		private DatabaseInitializationMode initializeSchema = DatabaseInitializationMode.EMBEDDED;

		/**
		 * Location of the script that creates the dead-letter table; @@platform@@ stands for the database (postgresql,
		 * h2, mysql; mysql for MariaDB).
		 */
		private String schema = "classpath:org/arvados/events/deadletter/schema-@@platform@@.sql";

		/**
		 * Database name for the @@platform@@ placeholder of the schema script, e.g. 'postgresql'; detected from the
		 * DataSource when not set.
		 */
		private @Nullable String platform;

		/**
		 * Prefix of the dead-letter table's name, followed by DEAD_LETTER; may start with a schema ('events.'). A
		 * table other than the default one is created by the application, not by the schema script.
		 */
		private String tablePrefix = "ARVADOS_EVENTS_";

		public DatabaseInitializationMode getInitializeSchema() {
			return this.initializeSchema;
		}

		public void setInitializeSchema(DatabaseInitializationMode initializeSchema) {
			this.initializeSchema = initializeSchema;
		}

		public String getSchema() {
			return this.schema;
		}

		public void setSchema(String schema) {
			this.schema = schema;
		}

		public @Nullable String getPlatform() {
			return this.platform;
		}

		public void setPlatform(@Nullable String platform) {
			this.platform = platform;
		}

		public String getTablePrefix() {
			return this.tablePrefix;
		}

		// Checked where it is bound, for Boot's binding report: it becomes part of the SQL.
		public void setTablePrefix(String tablePrefix) {
			if (!tablePrefix.matches("[A-Za-z0-9_.]*")) {
				throw new IllegalArgumentException("must be letters, digits, '_' and '.'");
			}
			this.tablePrefix = tablePrefix;
		}

	}

}

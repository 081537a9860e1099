package org.arvados.events.autoconfigure.deadletter;

import java.util.List;

import javax.sql.DataSource;

import org.springframework.boot.jdbc.DatabaseDriver;
import org.springframework.boot.jdbc.init.DataSourceScriptDatabaseInitializer;
import org.springframework.boot.jdbc.init.PlatformPlaceholderDatabaseDriverResolver;
import org.springframework.boot.sql.init.DatabaseInitializationSettings;
import org.springframework.util.StringUtils;

/**
 * Creates the dead-letter table, as Spring Boot creates Spring Integration's tables: the schema script for the
 * database, when {@code arvados.events.dead-letter.jdbc.initialize-schema} says so. Declare a bean of this type to
 * replace it.
 */
public class DeadLetterDataSourceScriptDatabaseInitializer extends DataSourceScriptDatabaseInitializer {

	/**
	 * @param dataSource the database of the dead letters
	 * @param properties what to run and when
	 */
	public DeadLetterDataSourceScriptDatabaseInitializer(DataSource dataSource,
			ArvadosEventsDeadLetterProperties.Jdbc properties) {
		super(dataSource, settings(dataSource, properties));
	}

	static DatabaseInitializationSettings settings(DataSource dataSource,
			ArvadosEventsDeadLetterProperties.Jdbc properties) {
		DatabaseInitializationSettings settings = new DatabaseInitializationSettings();
		settings.setSchemaLocations(schemaLocations(dataSource, properties));
		settings.setMode(properties.getInitializeSchema());
		// The scripts create only what is missing, so an error is a real one (no right to create a table).
		settings.setContinueOnError(false);
		return settings;
	}

	private static List<String> schemaLocations(DataSource dataSource,
			ArvadosEventsDeadLetterProperties.Jdbc properties) {
		PlatformPlaceholderDatabaseDriverResolver platforms = new PlatformPlaceholderDatabaseDriverResolver()
			.withDriverPlatform(DatabaseDriver.MARIADB, "mysql");
		String platform = properties.getPlatform();
		return StringUtils.hasText(platform) ? platforms.resolveAll(platform, properties.getSchema())
				: platforms.resolveAll(dataSource, properties.getSchema());
	}

}

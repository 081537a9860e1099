package org.arvados.events.autoconfigure.checkpoint;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import org.springframework.integration.jdbc.metadata.JdbcMetadataStore;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.integration.metadata.ConcurrentMetadataStore;
import org.springframework.jdbc.BadSqlGrammarException;

/**
 * A {@link JdbcMetadataStore} that first touches the database when the checkpoint is first read or written, not
 * while the context starts: a database that is down at start-up then fails the subscription's load, with its cause,
 * and a later attempt can succeed; as a bean, the store would ask the database for its vendor in
 * {@code afterPropertiesSet} and fail the whole context.
 */
final class DeferredJdbcMetadataStore implements ConcurrentMetadataStore {

	static final String NAME = "JdbcMetadataStore (table INT_METADATA_STORE)";

	// METADATA_VALUE VARCHAR(4000) in each of Spring Integration's schema-*.sql.
	static final int MAX_VALUE_LENGTH = 4000;

	private final JdbcMetadataStore store;

	// afterPropertiesSet may run once only: it completes its queries' text, and appends to one of them.
	private boolean configured;

	private boolean ready;

	// A database that stops answering must not hold a save, the final one of a stop above all, for ever.
	static final int QUERY_TIMEOUT_SECONDS = 10;

	DeferredJdbcMetadataStore(DataSource dataSource) {
		JdbcTemplate jdbc = new JdbcTemplate(dataSource);
		jdbc.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
		this.store = new JdbcMetadataStore(jdbc);
	}

	private synchronized JdbcMetadataStore store() {
		if (!this.ready) {
			if (!this.configured) {
				this.store.afterPropertiesSet();
				this.configured = true;
			}
			try {
				this.store.start();
			}
			catch (RuntimeException ex) {
				this.store.stop();
				if (ex instanceof BadSqlGrammarException missingTable) {
					throw new IllegalStateException("The table INT_METADATA_STORE cannot be read ("
							+ missingTable.getSQLException().getMessage() + "): set "
							+ "spring.integration.jdbc.initialize-schema=always to have Spring Boot create it, or "
							+ "create it with Spring Integration's schema-<database>.sql", ex);
				}
				throw ex;
			}
			this.ready = true;
		}
		return this.store;
	}

	@Override
	public @Nullable String putIfAbsent(String key, String value) {
		return store().putIfAbsent(key, value);
	}

	@Override
	public boolean replace(String key, String oldValue, String newValue) {
		return store().replace(key, oldValue, newValue);
	}

	@Override
	public void put(String key, String value) {
		store().put(key, value);
	}

	@Override
	public @Nullable String get(String key) {
		return store().get(key);
	}

	@Override
	public @Nullable String remove(String key) {
		return store().remove(key);
	}

	@Override
	public String toString() {
		return NAME;
	}

}

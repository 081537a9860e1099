package org.arvados.events.deadletter;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import org.arvados.events.ArvadosEvent;
import org.arvados.events.LogSafe;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.util.Assert;

/**
 * An {@link EventDeadLetterStore} in a database table, {@code ARVADOS_EVENTS_DEAD_LETTER} by default, one row per
 * dead letter. Its schema is in {@code org/arvados/events/deadletter/schema-<platform>.sql} (postgresql, h2, mysql,
 * mariadb); Spring Boot runs it with {@code arvados.events.dead-letter.jdbc.initialize-schema}, as it runs Spring
 * Integration's for its {@code INT_} tables. The database is first reached when a dead letter is first added or read,
 * not while the context starts.
 * <p>
 * The event's JSON is kept whole and unchanged; a failure's message without tokens ({@link DeadLetterRedactor}), cut
 * to its first {@value #MESSAGE_LENGTH} characters; a handler's name to its first {@value #HANDLER_LENGTH}.
 */
public class JdbcEventDeadLetterStore implements EventDeadLetterStore {

	/** The prefix of the default table's name, {@code ARVADOS_EVENTS_DEAD_LETTER}. */
	public static final String DEFAULT_TABLE_PREFIX = "ARVADOS_EVENTS_";

	/** The longest message kept: the column is a VARCHAR(4000) on every database. */
	public static final int MESSAGE_LENGTH = 4000;

	/** The longest handler name kept: the column is indexed, and MySQL's index keys are short. */
	public static final int HANDLER_LENGTH = 500;

	/** The location of the schema scripts, with Spring Boot's {@code @@platform@@} placeholder. */
	public static final String SCHEMA_LOCATION = "classpath:org/arvados/events/deadletter/schema-@@platform@@.sql";

	// A database that stops answering must not hold a handler's thread, and with it the stream, for ever.
	static final int QUERY_TIMEOUT_SECONDS = 10;

	private static final String COLUMNS = "ID, EVENT_ID, EVENT_JSON, HANDLER, EXCEPTION_TYPE, MESSAGE, ATTEMPTS, "
			+ "CREATED_AT";

	private final JdbcTemplate jdbcTemplate;

	private final JdbcClient jdbc;

	private final String table;

	private final DeadLetterRedactor redactor;

	// How the database spells the generated key's column when asked for it by name (PostgreSQL: quoted, lower case).
	private volatile @Nullable String idColumn;

	/**
	 * A store in {@code ARVADOS_EVENTS_DEAD_LETTER} that masks tokens by their shape only.
	 * @param dataSource the database
	 */
	public JdbcEventDeadLetterStore(DataSource dataSource) {
		this(dataSource, DEFAULT_TABLE_PREFIX, DeadLetterRedactor.ANY_TOKEN);
	}

	/**
	 * @param dataSource the database
	 * @param tablePrefix the prefix of the table's name, {@code DEAD_LETTER} after it, e.g. {@code MYAPP_} or
	 * {@code myschema.ARVADOS_EVENTS_}
	 * @param redactor what takes tokens out of the failures' messages
	 */
	public JdbcEventDeadLetterStore(DataSource dataSource, String tablePrefix, DeadLetterRedactor redactor) {
		Assert.notNull(dataSource, "'dataSource' must not be null");
		Assert.isTrue(tablePrefix.matches("[A-Za-z0-9_.]*"), "'tablePrefix' must be letters, digits, '_' and '.'");
		this.jdbcTemplate = new JdbcTemplate(dataSource);
		this.jdbcTemplate.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
		this.jdbc = JdbcClient.create(this.jdbcTemplate);
		this.table = tablePrefix + "DEAD_LETTER";
		this.redactor = redactor;
	}

	/**
	 * The table's name.
	 * @return e.g. {@code ARVADOS_EVENTS_DEAD_LETTER}
	 */
	public String getTableName() {
		return this.table;
	}

	@Override
	public DeadLetter add(ArvadosEvent event, String handler, Throwable failure, int attempts) {
		Assert.notNull(event, "'event' must not be null");
		Assert.notNull(handler, "'handler' must not be null");
		Assert.notNull(failure, "'failure' must not be null");
		String name = cut(handler, HANDLER_LENGTH);
		String message = this.redactor.redact(failure.getMessage());
		message = (message != null) ? cut(message, MESSAGE_LENGTH) : null;
		// The columns keep microseconds: what is returned is what a later read returns.
		Instant createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
		KeyHolder key = new GeneratedKeyHolder();
		try {
			this.jdbc.sql("INSERT INTO " + this.table + " (EVENT_ID, EVENT_JSON, HANDLER, EXCEPTION_TYPE, MESSAGE, "
					+ "ATTEMPTS, CREATED_AT) VALUES (?, ?, ?, ?, ?, ?, ?)")
				.params(event.id(), event.json(), name, failure.getClass().getName(), message, attempts,
						LocalDateTime.ofInstant(createdAt, ZoneOffset.UTC))
				.update(key, idColumn());
		}
		catch (DataAccessException ex) {
			throw failed("Cannot keep the Arvados event " + event.id() + " that handler " + LogSafe.forLog(name)
					+ " failed on", ex);
		}
		Number id = key.getKey();
		Assert.state(id != null, "The database returned no id for the dead letter");
		return new DeadLetter(id.longValue(), event.id(), event.json(), name, failure.getClass().getName(), message,
				attempts, createdAt);
	}

	@Override
	public List<DeadLetter> list(int max) {
		Assert.isTrue(max >= 0, "'max' must not be negative");
		if (max == 0) {
			return List.of();
		}
		try {
			return this.jdbc.sql("SELECT " + COLUMNS + " FROM " + this.table + " ORDER BY ID")
				.withMaxRows(max)
				.query(JdbcEventDeadLetterStore::deadLetter)
				.list();
		}
		catch (DataAccessException ex) {
			throw failed("Cannot list the dead letters", ex);
		}
	}

	@Override
	public List<DeadLetter> list(String handler, int max) {
		Assert.isTrue(max >= 0, "'max' must not be negative");
		if (max == 0) {
			return List.of();
		}
		try {
			return this.jdbc.sql("SELECT " + COLUMNS + " FROM " + this.table + " WHERE HANDLER = ? ORDER BY ID")
				.param(cut(handler, HANDLER_LENGTH))
				.withMaxRows(max)
				.query(JdbcEventDeadLetterStore::deadLetter)
				.list();
		}
		catch (DataAccessException ex) {
			throw failed("Cannot list the dead letters of handler " + LogSafe.forLog(handler), ex);
		}
	}

	@Override
	public Optional<DeadLetter> find(long id) {
		try {
			return this.jdbc.sql("SELECT " + COLUMNS + " FROM " + this.table + " WHERE ID = ?")
				.param(id)
				.query(JdbcEventDeadLetterStore::deadLetter)
				.optional();
		}
		catch (DataAccessException ex) {
			throw failed("Cannot read dead letter " + id, ex);
		}
	}

	@Override
	public boolean remove(long id) {
		try {
			return this.jdbc.sql("DELETE FROM " + this.table + " WHERE ID = ?").param(id).update() > 0;
		}
		catch (DataAccessException ex) {
			throw failed("Cannot remove dead letter " + id, ex);
		}
	}

	@Override
	public long count() {
		try {
			return this.jdbc.sql("SELECT COUNT(*) FROM " + this.table).query(Long.class).single();
		}
		catch (DataAccessException ex) {
			throw failed("Cannot count the dead letters", ex);
		}
	}

	@Override
	public String toString() {
		return "JdbcEventDeadLetterStore[table=" + this.table + "]";
	}

	private String idColumn() {
		String column = this.idColumn;
		if (column == null) {
			Boolean lower = this.jdbcTemplate
				.execute((ConnectionCallback<Boolean>) (connection) -> connection.getMetaData()
					.storesLowerCaseIdentifiers());
			column = Boolean.TRUE.equals(lower) ? "id" : "ID";
			this.idColumn = column;
		}
		return column;
	}

	private DeadLetterStoreException failed(String what, DataAccessException ex) {
		String cause = cut(String.valueOf(ex.getMostSpecificCause().getMessage()), 1000);
		if (ex instanceof BadSqlGrammarException) {
			return new DeadLetterStoreException(what + ": the table " + this.table + " cannot be used ("
					+ LogSafe.forLog(cause) + "). Set arvados.events.dead-letter.jdbc.initialize-schema=always to have "
					+ "Spring Boot create it, or create it with the script for your database in "
					+ SCHEMA_LOCATION.replace("@@platform@@", "<database>") + " (postgresql, h2, mysql, mariadb)"
					+ (this.table.equals(DEFAULT_TABLE_PREFIX + "DEAD_LETTER") ? "" : " with the name " + this.table),
					ex);
		}
		return new DeadLetterStoreException(what + " in table " + this.table + ": " + LogSafe.forLog(cause), ex);
	}

	// Not between the two halves of a character outside the BMP (an emoji), which would leave half a character.
	private static String cut(String text, int length) {
		if (text.length() <= length) {
			return text;
		}
		return text.substring(0, Character.isHighSurrogate(text.charAt(length - 1)) ? length - 1 : length);
	}

	private static DeadLetter deadLetter(ResultSet row, int number) throws SQLException {
		LocalDateTime createdAt = row.getObject("CREATED_AT", LocalDateTime.class);
		return new DeadLetter(row.getLong("ID"), row.getLong("EVENT_ID"), row.getString("EVENT_JSON"),
				row.getString("HANDLER"), row.getString("EXCEPTION_TYPE"), row.getString("MESSAGE"),
				row.getInt("ATTEMPTS"), createdAt.toInstant(ZoneOffset.UTC));
	}

}

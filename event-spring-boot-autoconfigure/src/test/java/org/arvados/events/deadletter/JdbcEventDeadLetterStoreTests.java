package org.arvados.events.deadletter;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.arvados.events.ArvadosEvent;
import org.arvados.events.autoconfigure.ArvadosConnectionDetails;
import org.arvados.events.autoconfigure.deadletter.ArvadosEventsDeadLetterAutoConfiguration;
import org.arvados.events.checkpoint.TestPostgres;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The database store as an application gets it ({@code arvados.events.handler-retry.exhausted=dead-letter} and a
 * {@code DataSource}), on a real PostgreSQL ({@link TestPostgres}), its table created by the starter's initializer.
 */
class JdbcEventDeadLetterStoreTests {

	private static final String TOKEN_SECRET = "4a1wr6nl0bkxdcl32sotbv5xvdq6kf8rgm8pjbl0usbxmt6ws8";

	private static final String V2_TOKEN = "v2/zzzzz-gj3su-077z32aux8dg2s1/" + TOKEN_SECRET;

	// A v1 token has no shape to be recognized by: only the configured one is known to be a token.
	private static final String V1_TOKEN = "3kg6k6lzmp9kj5cpkcoxie963cmvjahbt2fod9zru30k1jq";

	private DataSource database;

	private ApplicationContextRunner instance;

	@BeforeEach
	void newDatabase() {
		this.database = TestPostgres.newDatabase();
		this.instance = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ArvadosEventsDeadLetterAutoConfiguration.class))
			.withBean(DataSource.class, () -> this.database)
			.withPropertyValues("arvados.events.handler-retry.exhausted=dead-letter",
					"arvados.events.dead-letter.jdbc.initialize-schema=always");
	}

	@Test
	void whatIsAddedIsInTheTableTheInitializerCreatedAndCanBeFoundListedAndRemoved() {
		assertThat(tables()).as("no table before the application starts").doesNotContain("arvados_events_dead_letter");
		this.instance.run((context) -> {
			EventDeadLetterStore store = store(context);
			assertThat(tables()).contains("arvados_events_dead_letter");
			assertThat(store.count()).isZero();
			assertThat(store.list(10)).isEmpty();
			Instant before = Instant.now().minusMillis(1);
			DeadLetter first = store.add(event(1207, "update"), "com.example.Orders.onUpdate",
					new IllegalStateException("order 42 is locked"), 4);
			Instant after = Instant.now().plusMillis(1);
			DeadLetter second = store.add(event(1190, "create"), "com.example.Audit.onAny",
					new java.net.ConnectException("connection refused"), 1);
			DeadLetter third = store.add(event(1300, "delete"), "com.example.Orders.onUpdate",
					new NullPointerException(), 2);

			assertThat(first.eventId()).isEqualTo(1207);
			assertThat(first.handler()).isEqualTo("com.example.Orders.onUpdate");
			assertThat(first.exceptionType()).isEqualTo("java.lang.IllegalStateException");
			assertThat(first.message()).isEqualTo("order 42 is locked");
			assertThat(first.attempts()).isEqualTo(4);
			assertThat(first.createdAt()).isBetween(before, after);
			assertThat(third.message()).isNull();
			assertThat(store.find(first.id())).as("read back as it was returned").contains(first);
			assertThat(store.find(third.id())).contains(third);

			assertThat(store.count()).isEqualTo(3);
			assertThat(store.list(10)).as("oldest first, not by event id").containsExactly(first, second, third);
			assertThat(store.list(2)).containsExactly(first, second);
			assertThat(store.list(0)).isEmpty();
			assertThat(store.list("com.example.Orders.onUpdate", 10)).containsExactly(first, third);
			assertThat(store.list("com.example.Orders.onUpdate", 1)).containsExactly(first);
			assertThat(store.list("com.example.Nobody.on", 10)).isEmpty();

			assertThat(store.remove(first.id())).isTrue();
			assertThat(store.remove(first.id())).as("removed already").isFalse();
			assertThat(store.find(first.id())).isEmpty();
			assertThat(store.count()).isEqualTo(2);
			assertThat(store.list(10)).containsExactly(second, third);
		});
	}

	@Test
	void aDeadLetterSurvivesARestartOnTheSameDatabase() {
		long[] id = new long[1];
		this.instance.run((context) -> id[0] = store(context)
			.add(event(1207, "update"), "com.example.Orders.onUpdate", new IllegalStateException("locked"), 4)
			.id());
		// The table exists now: the script runs again and keeps what is in it.
		this.instance.run((context) -> {
			EventDeadLetterStore store = store(context);
			assertThat(store.count()).isEqualTo(1);
			DeadLetter kept = store.find(id[0]).orElseThrow();
			assertThat(kept.eventJson()).isEqualTo(event(1207, "update").json());
			assertThat(kept.handler()).isEqualTo("com.example.Orders.onUpdate");
			assertThat(kept.message()).isEqualTo("locked");
			assertThat(kept.attempts()).isEqualTo(4);
		});
	}

	@Test
	void theEventIsKeptByteForByteLargeAndNotAscii() {
		String text = "Grüße, 名前, Ωμέγα, 😀 and a \\\"quote\\\", a \\n escaped break, \\u0000 escaped";
		StringBuilder json = new StringBuilder("{\"id\":77,\"event_type\":\"update\",\"properties\":{\"name\":\"")
			.append(text)
			.append("\",\"manifest_text\":\"");
		for (int i = 0; json.length() < 5 * 1024 * 1024; i++) {
			json.append(". d41d8cd98f00b204e9800998ecf8427e+0 0:0:ファイル").append(i).append(".txt\\n");
		}
		// Spacing and key order as a server may send them: nothing is parsed and written again.
		json.append("\"} ,  \"object_uuid\" : \"zzzzz-4zz18-0123456789abcde\"}\n");
		ArvadosEvent large = new ArvadosEvent(77, "zzzzz-57u5n-000000000000077", "zzzzz-4zz18-0123456789abcde",
				"zzzzz-tpzed-000000000000000", "arvados#collection", "update", null, Map.of(), json.toString());
		this.instance.run((context) -> {
			EventDeadLetterStore store = store(context);
			DeadLetter kept = store.add(large, "com.example.Collections.onUpdate",
					new IllegalArgumentException("Ωμέγα 名前 😀 is not a name"), 1);
			String read = store.find(kept.id()).orElseThrow().eventJson();
			assertThat(read.getBytes(StandardCharsets.UTF_8)).isEqualTo(json.toString().getBytes(StandardCharsets.UTF_8));
			assertThat(read.length()).isGreaterThanOrEqualTo(5 * 1024 * 1024);
			assertThat(store.list(1).get(0).eventJson()).isEqualTo(json.toString());
			assertThat(store.find(kept.id()).orElseThrow().message()).isEqualTo("Ωμέγα 名前 😀 is not a name");
		});
	}

	@Test
	void noTokenIsKeptInTheMessageNorShownByToString() {
		ArvadosConnectionDetails cluster = ArvadosConnectionDetails.of(URI.create("https://zzzzz.example"), V1_TOKEN);
		this.instance.withBean(ArvadosConnectionDetails.class, () -> cluster).run((context) -> {
			EventDeadLetterStore store = store(context);
			String message = "GET https://zzzzz.example/arvados/v1/collections?api_token=" + V2_TOKEN
					+ "&limit=1 failed; the token " + V2_TOKEN.replace("/", "%2F") + " (encoded) was sent as Bearer "
					+ V2_TOKEN + ", the configured one as " + V1_TOKEN + "\nand OAuth2 " + V1_TOKEN + " again";
			DeadLetter kept = store.add(event(1207, "update"), "com.example.Orders.onUpdate",
					new IOException(message), 4);
			String column = new JdbcTemplate(this.database)
				.queryForObject("SELECT MESSAGE FROM ARVADOS_EVENTS_DEAD_LETTER WHERE ID = ?", String.class, kept.id());
			for (String text : List.of(column, kept.message(), kept.toString(),
					store.find(kept.id()).orElseThrow().toString())) {
				assertThat(text).doesNotContain(TOKEN_SECRET)
					.doesNotContain(V1_TOKEN)
					.doesNotContain("077z32aux8dg2s1")
					.contains("******");
			}
			assertThat(column).startsWith("GET https://zzzzz.example/arvados/v1/collections?api_token=******&limit=1 failed")
				.contains("\n");
			assertThat(kept.toString()).as("one line").doesNotContain("\n").contains("\\n");
			assertThat(kept.toString()).doesNotContain("manifest").contains("eventId=1207");
		});
	}

	@Test
	void withoutAConfiguredTokenTokensAreStillMaskedByTheirShape() {
		this.instance.run((context) -> {
			DeadLetter kept = store(context).add(event(1207, "update"), "com.example.Orders.onUpdate",
					new IllegalStateException("refused " + V2_TOKEN + " at https://h/x?API_TOKEN=" + V1_TOKEN), 2);
			assertThat(kept.message()).isEqualTo("refused ****** at https://h/x?API_TOKEN=******");
		});
	}

	@Test
	void aMissingTableWithInitializationOffSaysWhatToSetOrRun() {
		this.instance.withPropertyValues("arvados.events.dead-letter.jdbc.initialize-schema=never").run((context) -> {
			assertThat(context).as("the context starts; the table is first used when a letter is added").hasNotFailed();
			EventDeadLetterStore store = store(context);
			assertThatExceptionOfType(DeadLetterStoreException.class)
				.isThrownBy(() -> store.add(event(1207, "update"), "com.example.Orders.onUpdate",
						new IllegalStateException("locked"), 4))
				.withMessageStartingWith("Cannot keep the Arvados event 1207 that handler com.example.Orders.onUpdate "
						+ "failed on: the table ARVADOS_EVENTS_DEAD_LETTER cannot be used (")
				.withMessageContaining("arvados_events_dead_letter\" does not exist")
				.withMessageContaining("Set arvados.events.dead-letter.jdbc.initialize-schema=always")
				.withMessageContaining("org/arvados/events/deadletter/schema-<database>.sql");
			assertThatExceptionOfType(DeadLetterStoreException.class).isThrownBy(store::count)
				.withMessageContaining("arvados.events.dead-letter.jdbc.initialize-schema=always");
			assertThat(tables()).doesNotContain("arvados_events_dead_letter");
		});
	}

	@Test
	void theDefaultInitializationLeavesADatabaseThatIsNotEmbeddedAlone() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ArvadosEventsDeadLetterAutoConfiguration.class))
			.withBean(DataSource.class, () -> this.database)
			.withPropertyValues("arvados.events.handler-retry.exhausted=dead-letter")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(tables()).doesNotContain("arvados_events_dead_letter");
			});
	}

	@Test
	void aTableOfAnotherNameIsUsedWhenItsPrefixIsSet() {
		new JdbcTemplate(this.database).execute("CREATE SCHEMA events");
		new JdbcTemplate(this.database).execute("CREATE TABLE events.APP_DEAD_LETTER (ID BIGINT GENERATED BY DEFAULT AS "
				+ "IDENTITY PRIMARY KEY, EVENT_ID BIGINT NOT NULL, EVENT_JSON TEXT NOT NULL, HANDLER VARCHAR(500) NOT NULL, "
				+ "EXCEPTION_TYPE VARCHAR(1000) NOT NULL, MESSAGE VARCHAR(4000), ATTEMPTS INT NOT NULL, CREATED_AT "
				+ "TIMESTAMP NOT NULL)");
		this.instance.withPropertyValues("arvados.events.dead-letter.jdbc.table-prefix=events.APP_",
				"arvados.events.dead-letter.jdbc.initialize-schema=never").run((context) -> {
					EventDeadLetterStore store = store(context);
					DeadLetter kept = store.add(event(1207, "update"), "h", new IllegalStateException("x"), 1);
					assertThat(new JdbcTemplate(this.database).queryForObject(
							"SELECT EVENT_ID FROM events.APP_DEAD_LETTER WHERE ID = ?", Long.class, kept.id()))
						.isEqualTo(1207);
				});
	}

	@Test
	void aMessageLongerThanTheColumnIsCutNotRefused() {
		String message = "x".repeat(JdbcEventDeadLetterStore.MESSAGE_LENGTH - 1) + "😀 and more";
		this.instance.run((context) -> {
			EventDeadLetterStore store = store(context);
			DeadLetter kept = store.add(event(1207, "update"), "h", new IllegalStateException(message), 1);
			// Not half of the emoji: the cut falls before it.
			assertThat(kept.message()).isEqualTo("x".repeat(JdbcEventDeadLetterStore.MESSAGE_LENGTH - 1));
			assertThat(store.find(kept.id()).orElseThrow()).isEqualTo(kept);
		});
	}

	private List<String> tables() {
		return new JdbcTemplate(this.database)
			.queryForList("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'", String.class);
	}

	private static EventDeadLetterStore store(AssertableApplicationContext context) {
		assertThat(context).hasNotFailed();
		return context.getBean(EventDeadLetterStore.class);
	}

	private static ArvadosEvent event(long id, String eventType) {
		String uuid = "zzzzz-57u5n-" + String.format("%015d", id);
		String json = "{\"msgID\":" + id + ",\"id\":" + id + ",\"uuid\":\"" + uuid + "\",\"object_uuid\":"
				+ "\"zzzzz-4zz18-0123456789abcde\",\"event_type\":\"" + eventType + "\",\"properties\":{}}";
		return new ArvadosEvent(id, uuid, "zzzzz-4zz18-0123456789abcde", "zzzzz-tpzed-000000000000000",
				"arvados#collection", eventType, Instant.parse("2026-11-28T00:00:00Z"), Map.of(), json);
	}

}

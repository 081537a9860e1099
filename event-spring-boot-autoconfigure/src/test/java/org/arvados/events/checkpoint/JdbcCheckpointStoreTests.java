package org.arvados.events.checkpoint;

import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.arvados.events.autoconfigure.checkpoint.ArvadosEventsCheckpointAutoConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.integration.autoconfigure.IntegrationAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The database store as an application gets it ({@code arvados.events.checkpoint.store=jdbc}), on a real
 * PostgreSQL ({@link TestPostgres}) whose {@code INT_METADATA_STORE} Spring Boot's
 * {@code spring.integration.jdbc.initialize-schema} creates.
 */
class JdbcCheckpointStoreTests {

	private static final Checkpoint FIRST = new Checkpoint(1207,
			List.of(new ResumePosition.Range(1190, 1190), new ResumePosition.Range(1201, 1203)));

	private static final String VALUE = "SELECT METADATA_VALUE FROM INT_METADATA_STORE WHERE METADATA_KEY = ?";

	private DataSource database;

	private ApplicationContextRunner instance;

	@BeforeEach
	void newDatabase() {
		this.database = TestPostgres.newDatabase();
		this.instance = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(IntegrationAutoConfiguration.class,
					ArvadosEventsCheckpointAutoConfiguration.class))
			.withBean(DataSource.class, () -> this.database)
			.withPropertyValues("arvados.events.checkpoint.store=jdbc", "spring.application.name=orders",
					"spring.integration.jdbc.initialize-schema=always");
	}

	@Test
	void whatIsSavedIsInTheTableBootCreatedAndLoadedAfterARestart() {
		assertThat(tables()).as("no table before the application starts").doesNotContain("int_metadata_store");
		this.instance.run((context) -> {
			EventCheckpointStore store = store(context);
			assertThat(store.load()).isEmpty();
			store.save(Checkpoint.after(1100));
			store.save(FIRST);
		});
		assertThat(stored()).isEqualTo(new Stored(1, FIRST));
		this.instance.run((context) -> assertThat(store(context).load()).as("after a restart").contains(FIRST));
	}

	// A leader paused past its lock wakes after the new leader loaded, and saves: refused, and the new one goes on.
	@Test
	void aPausedLeadersLateSaveIsRefusedAndTheNewLeaderGoesOn() {
		this.instance.run((first) -> this.instance.run((second) -> {
			EventCheckpointStore paused = store(first);
			paused.load();
			paused.save(Checkpoint.after(1100));
			EventCheckpointStore leader = store(second);
			assertThat(leader.load()).contains(Checkpoint.after(1100));
			assertThatExceptionOfType(CheckpointConflictException.class)
				.isThrownBy(() -> paused.save(Checkpoint.after(1150)))
				.withMessage("Another instance took the lead and saves the Arvados events position under key 'orders' "
						+ "in JdbcMetadataStore (table INT_METADATA_STORE) (lead term 2, this one's 1); this one no "
						+ "longer saves");
			assertThat(stored()).isEqualTo(new Stored(2, Checkpoint.after(1100)));
			leader.save(FIRST);
			leader.save(Checkpoint.after(1300));
			assertThat(store(first).load()).contains(Checkpoint.after(1300));
		}));
	}

	@Test
	void ofTwoInstancesThatLoadAnEmptyKeyTheLaterClaimSaves() {
		this.instance.run((first) -> this.instance.run((second) -> {
			EventCheckpointStore earlier = store(first);
			EventCheckpointStore later = store(second);
			assertThat(earlier.load()).isEmpty();
			assertThat(later.load()).isEmpty();
			assertThatExceptionOfType(CheckpointConflictException.class).isThrownBy(() -> earlier.save(FIRST));
			later.save(Checkpoint.after(1300));
			assertThat(stored()).isEqualTo(new Stored(2, Checkpoint.after(1300)));
		}));
	}

	@Test
	void aPositionWithMoreGapsThanTheColumnHoldsIsSavedShortenedNeverAhead() {
		List<ResumePosition.Range> gaps = new ArrayList<>();
		for (long id = 1_000_000; id < 1_010_000; id += 10) {
			gaps.add(new ResumePosition.Range(id, id + 1));
		}
		Checkpoint many = new Checkpoint(1_010_000, gaps);
		assertThat(many.toJson().length()).isGreaterThan(4000);
		this.instance.run((context) -> {
			EventCheckpointStore store = store(context);
			store.load();
			store.save(many);
			Checkpoint saved = store.load().orElseThrow();
			String stored = new JdbcTemplate(this.database).queryForObject(VALUE, String.class, "orders");
			assertThat(stored).hasSizeLessThanOrEqualTo(4000).hasSizeGreaterThan(3900);
			assertThat(saved.gaps()).isEqualTo(gaps.subList(0, saved.gaps().size()));
			assertThat(saved.highestId()).isEqualTo(gaps.get(saved.gaps().size()).from() - 1);
			// Gaps of two ids, ten apart, as rolled-back and filtered ids leave them: the plain form held about 200.
			assertThat(saved.gaps()).as("gaps that fit in the column").hasSizeGreaterThan(950);
		});
	}

	@Test
	void aPositionOfAThousandGapsFitsWholeAndAGracefulHandOverRepeatsNothing() {
		List<ResumePosition.Range> gaps = new ArrayList<>();
		for (long id = 1_000_000; id < 1_009_000; id += 10) {
			gaps.add(new ResumePosition.Range(id, id + 1));
		}
		Checkpoint many = new Checkpoint(1_009_000, gaps);
		this.instance.run((context) -> {
			EventCheckpointStore store = store(context);
			store.load();
			store.save(many);
			assertThat(store.load()).contains(many);
		});
	}

	// An application that declares its own JdbcMetadataStore has the same 4,000-character column.
	@Test
	void theApplicationsOwnJdbcMetadataStoreHoldsTheSamePosition() {
		List<ResumePosition.Range> gaps = new ArrayList<>();
		for (long id = 1_000_000; id < 1_050_000; id += 10) {
			gaps.add(new ResumePosition.Range(id, id + 1));
		}
		Checkpoint many = new Checkpoint(1_050_000, gaps);
		org.springframework.integration.jdbc.metadata.JdbcMetadataStore own =
				new org.springframework.integration.jdbc.metadata.JdbcMetadataStore(this.database);
		this.instance.withBean(org.springframework.integration.metadata.ConcurrentMetadataStore.class, () -> own)
			.run((context) -> {
				EventCheckpointStore store = store(context);
				store.load();
				store.save(many);
				Checkpoint saved = store.load().orElseThrow();
				assertThat(saved.gaps()).isEqualTo(gaps.subList(0, saved.gaps().size()));
				assertThat(new JdbcTemplate(this.database).queryForObject(VALUE, String.class, "orders"))
					.hasSizeLessThanOrEqualTo(4000);
			});
	}

	@Test
	void aValueThatIsNoCheckpointStopsTheStart() {
		this.instance.run((context) -> {
			new JdbcTemplate(this.database).update(
					"INSERT INTO INT_METADATA_STORE (METADATA_KEY, METADATA_VALUE, REGION) VALUES (?, ?, 'DEFAULT')",
					"orders", "1207");
			assertThatIllegalStateException().isThrownBy(() -> store(context).load())
				.isNotInstanceOf(CheckpointStoreUnavailableException.class)
				.withMessageContaining("key 'orders'")
				.withMessageContaining("DELETE FROM INT_METADATA_STORE WHERE METADATA_KEY = 'orders'");
		});
	}

	@Test
	void aDatabaseDownAtStartUpFailsTheLoadClearlyAndWorksOnceItIsBack() {
		int port = TestPostgres.freePort();
		PGSimpleDataSource down = new PGSimpleDataSource();
		down.setServerNames(new String[] { "127.0.0.1" });
		down.setPortNumbers(new int[] { port });
		down.setDatabaseName("postgres");
		down.setUser("postgres");
		down.setPassword("pw-never-printed-31");
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ArvadosEventsCheckpointAutoConfiguration.class))
			.withBean(DataSource.class, () -> down)
			.withPropertyValues("arvados.events.checkpoint.store=jdbc", "arvados.events.checkpoint.key=orders")
			.run((context) -> {
				assertThat(context).as("the context starts without the database").hasNotFailed();
				EventCheckpointStore store = store(context);
				assertThatExceptionOfType(CheckpointStoreUnavailableException.class).isThrownBy(store::load)
					.withMessageStartingWith("Cannot read the Arvados events checkpoint under key 'orders' in "
							+ "JdbcMetadataStore (table INT_METADATA_STORE): ")
					.withMessageContaining("Connection to 127.0.0.1:" + port + " refused")
					.withMessageNotContaining("pw-never-printed-31");
				try (EmbeddedPostgres back = TestPostgres.startOwn(port)) {
					assertThatExceptionOfType(CheckpointStoreUnavailableException.class).isThrownBy(store::load)
						.withMessageContaining("The table INT_METADATA_STORE cannot be read")
						.withMessageContaining("spring.integration.jdbc.initialize-schema=always");
					new ResourceDatabasePopulator(
							new ClassPathResource("org/springframework/integration/jdbc/schema-postgresql.sql"))
						.execute(back.getPostgresDatabase());
					assertThat(store.load()).isEmpty();
					store.save(FIRST);
					assertThat(Stored.parse(new JdbcTemplate(back.getPostgresDatabase()).queryForObject(VALUE,
							String.class, "orders")))
						.isEqualTo(new Stored(1, FIRST));
				}
			});
	}

	private List<String> tables() {
		return new JdbcTemplate(this.database)
			.queryForList("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")
			.stream()
			.map((row) -> (String) row.get("table_name"))
			.toList();
	}

	private static EventCheckpointStore store(AssertableApplicationContext context) {
		assertThat(context).hasNotFailed();
		return context.getBean(EventCheckpointStore.class);
	}

	private Stored stored() {
		return Stored.parse(new JdbcTemplate(this.database).queryForObject(VALUE, String.class, "orders"));
	}

}

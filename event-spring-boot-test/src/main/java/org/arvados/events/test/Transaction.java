package org.arvados.events.test;

/**
 * A log row whose id is allocated but which is not committed yet, like a row inserted inside an
 * open PostgreSQL transaction: invisible to the list endpoint and not sent to any client until
 * {@link #commit()}. Committing transactions out of id order reproduces what a real cluster does
 * under concurrent writes (ids arrive out of order, and a rolled-back id leaves a gap).
 */
public interface Transaction {

	/** The id allocated when the transaction began. */
	long id();

	/**
	 * Makes the row visible to the list endpoint and sends it to every matching WebSocket
	 * connection, in commit order with other transactions.
	 * @return the committed row
	 * @throws IllegalStateException if already committed or rolled back
	 */
	LogEntry commit();

	/**
	 * Discards the row; its id is never used again, leaving a gap. Does nothing if already
	 * rolled back.
	 * @throws IllegalStateException if already committed
	 */
	void rollback();

}

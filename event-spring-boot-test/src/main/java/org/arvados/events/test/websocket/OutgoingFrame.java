package org.arvados.events.test.websocket;

import java.util.function.LongSupplier;

/**
 * One entry of a connection's outgoing queue: a status reply, a keepalive, a raw test frame or an
 * event. Only events take a {@code msgID}, so the writer hands out ids as it renders them.
 */
interface OutgoingFrame {

	OutgoingFrame STATUS_OK = text("{\"status\":200}");

	OutgoingFrame STATUS_FAIL = text("{\"status\":400}");

	OutgoingFrame KEEPALIVE = text("{}");

	/** The text to send; {@code msgIds} gives the connection's next message id. */
	String render(LongSupplier msgIds);

	/** A short description for a {@link ConnectionRecord}. */
	String describe();

	static OutgoingFrame text(String frame) {
		return new Text(frame);
	}

	/** A frame sent as it is. */
	record Text(String frame) implements OutgoingFrame {

		@Override
		public String render(LongSupplier msgIds) {
			return this.frame;
		}

		@Override
		public String describe() {
			return this.frame;
		}

	}

}

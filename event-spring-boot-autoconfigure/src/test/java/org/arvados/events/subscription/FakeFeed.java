package org.arvados.events.subscription;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import org.arvados.events.filter.EventFilter;
import org.arvados.events.lifecycle.DisconnectReason;
import org.jspecify.annotations.Nullable;

/**
 * A {@link LiveFeed} without sockets: records what the machine asks, and lets the test play the server.
 */
final class FakeFeed implements LiveFeed {

	int connects;

	int subscribes;

	int closes;

	/** The subscribe and unsubscribe messages for single filter sets, as "subscribe [filters] after N". */
	final List<String> setMessages = new ArrayList<>();

	/** What each {@link #release} answers, first to last; {@code true} once empty. */
	final Deque<Boolean> releases = new ArrayDeque<>();

	@Nullable String silence;

	private @Nullable Signals signals;

	private @Nullable Link current;

	private boolean attempting;

	private int links;

	void signalTo(Signals signals) {
		this.signals = signals;
	}

	@Override
	public void connect() {
		this.connects++;
		if (this.current == null) {
			this.attempting = true;
		}
	}

	/** The handshake of the pending attempt succeeds. */
	Link open() {
		if (!this.attempting) {
			throw new IllegalStateException("No connection attempt is pending");
		}
		this.attempting = false;
		Link link = new FakeLink(++this.links);
		this.current = link;
		signals().opened(link);
		return link;
	}

	/** The handshake of the pending attempt fails. */
	void refuse() {
		this.attempting = false;
		signals().unavailable(DisconnectReason.CONNECT_FAILED, "connection refused");
	}

	/** The open connection closes. */
	void drop() {
		this.current = null;
		signals().unavailable(DisconnectReason.CLOSED, "closed with 1006");
	}

	boolean isAttempting() {
		return this.attempting;
	}

	@Override
	public void subscribe(Link link) {
		this.subscribes++;
	}

	@Override
	public void subscribe(Link link, List<EventFilter> set, long lastLogId) {
		this.setMessages.add("subscribe " + set + " after " + lastLogId + " on " + link);
	}

	@Override
	public void unsubscribe(Link link, List<EventFilter> set) {
		this.setMessages.add("unsubscribe " + set + " on " + link);
	}

	@Override
	public boolean isCurrent(Link link) {
		return link == this.current;
	}

	@Override
	public boolean takeOverflow(Link link) {
		return false;
	}

	@Override
	public boolean release(Link link) {
		Boolean result = this.releases.poll();
		return (result == null) || result;
	}

	@Override
	public @Nullable String silence() {
		return (this.current != null) ? this.silence : null;
	}

	@Override
	public void close() {
		this.closes++;
		this.current = null;
		this.attempting = false;
	}

	@Nullable Link current() {
		return this.current;
	}

	private Signals signals() {
		if (this.signals == null) {
			throw new IllegalStateException("No machine");
		}
		return this.signals;
	}

	private record FakeLink(int number) implements Link {

		@Override
		public String toString() {
			return "fake connection " + this.number;
		}

	}

}

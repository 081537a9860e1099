package org.arvados.events.test.websocket;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.arvados.events.test.LogEntry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A subscription and its reply against live events: a client that has the {@code {"status":200}} may commit at
 * once, and must get that event, behind the reply.
 */
class SubscriptionsTests {

	private static final Instant CREATED = Instant.parse("2024-05-01T12:00:00.123456Z");

	private final LogEntry update = new LogEntry(1, "zzzzz-57u5n-000000000000001", "zzzzz-4zz18-000000000000001",
			"zzzzz-tpzed-xurymjxw79nv3jz", "arvados#collection", "update", CREATED, CREATED, Map.of());

	private final Subscriptions subscriptions = new Subscriptions();

	private final List<String> queued = new CopyOnWriteArrayList<>();

	// Issue 26 item 14: the reply was queued before the subscription was added, and an event committed by a client
	// quick to read the reply (or a reader thread slow to go on) was matched against no subscription and dropped.
	@Test
	void anEventCommittedAsSoonAsTheReplyIsQueuedIsDelivered() {
		this.subscriptions.add(new Subscription(null), () -> {
			this.queued.add("{\"status\":200}");
			return commit();
		});
		assertThat(this.queued).containsExactly("{\"status\":200}", "event 1");
	}

	@Test
	void anEventCommittedWhileTheReplyIsBeingQueuedWaitsBehindIt() throws InterruptedException {
		Thread committer = new Thread(this::commit);
		this.subscriptions.add(new Subscription(null), () -> {
			committer.start();
			await().until(() -> committer.getState() == Thread.State.BLOCKED);
			return this.queued.add("{\"status\":200}");
		});
		committer.join();
		assertThat(this.queued).containsExactly("{\"status\":200}", "event 1");
	}

	@Test
	void noEventAfterAnUnsubscribe() {
		this.subscriptions.add(new Subscription(null), () -> true);
		assertThat(this.subscriptions.remove(null)).isTrue();
		commit();
		assertThat(this.queued).isEmpty();
		assertThat(this.subscriptions.remove(null)).isFalse();
	}

	private boolean commit() {
		return this.subscriptions.offerIfMatching(this.update, () -> this.queued.add("event " + this.update.id()));
	}

}

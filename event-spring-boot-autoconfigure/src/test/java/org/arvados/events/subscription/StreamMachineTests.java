package org.arvados.events.subscription;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.arvados.events.filter.EventFilter;
import org.arvados.events.lifecycle.ArvadosStreamEvent;
import org.arvados.events.lifecycle.DisconnectReason;
import org.arvados.events.lifecycle.StreamConnectedEvent;
import org.arvados.events.lifecycle.StreamDisconnectedEvent;
import org.arvados.events.lifecycle.StreamPhase;
import org.arvados.events.lifecycle.StreamPhaseChangedEvent;
import org.arvados.events.lifecycle.TransportMode;
import org.arvados.events.lifecycle.TransportSwitchedEvent;
import org.arvados.events.subscription.LiveFeed.Link;
import org.arvados.events.transport.NotAnArvadosApiException;
import org.arvados.events.transport.SecretRedactor;
import org.arvados.events.transport.TokenRejectedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.util.backoff.ExponentialBackOff;
import org.springframework.web.client.ResourceAccessException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every phase change of the {@link StreamMachine}, without sockets or HTTP: a fake feed and a fake logs list,
 * driven on a manual loop with a manual clock. Back-off: 200 ms doubling to 15 s, no jitter; heartbeat 4 s
 * (checked every second); poll interval 15 s; WebSocket retry every 60 s; 3 WebSocket attempts.
 */
@ExtendWith(OutputCaptureExtension.class)
class StreamMachineTests {

	private static final URI ENDPOINT = URI.create("https://zzzzz.example.org");

	private final ManualLoop loop = new ManualLoop();

	private final FakeFeed feed = new FakeFeed();

	private final FakeLog log = new FakeLog();

	private final FakeFilterChanges filters = new FakeFilterChanges();

	private final List<ArvadosStreamEvent> events = new CopyOnWriteArrayList<>();

	private StreamStatus status;

	private StreamMachine machine;

	private StreamMachine start(Transport transport) {
		SubscriptionSettings settings = new SubscriptionSettings(ENDPOINT, "token", List.of(),
				StartFrom.parse("latest"), transport, backOff(), Duration.ofSeconds(4), Duration.ofMinutes(5), 3,
				Duration.ofSeconds(60), Duration.ofSeconds(15), 1000, Duration.ofHours(2));
		TransportMode mode = (transport == Transport.POLLING) ? TransportMode.POLLING : TransportMode.WEBSOCKET;
		this.status = new StreamStatus((event) -> this.events.add((ArvadosStreamEvent) event),
				new SecretRedactor("token"), mode, Clock.systemUTC());
		this.machine = new StreamMachine(settings, this.feed, this.log, this.filters, this.status,
				new ReconnectBackOff(backOff()), new SecretRedactor("token"), () -> this.loop);
		this.feed.signalTo(this.machine);
		this.machine.start();
		this.loop.runDue();
		return this.machine;
	}

	private static ExponentialBackOff backOff() {
		ExponentialBackOff backOff = new ExponentialBackOff(200, 2.0);
		backOff.setMaxInterval(15_000);
		backOff.setJitter(0);
		return backOff;
	}

	private Link goLive() {
		Link link = this.feed.open();
		this.loop.runDue();
		this.machine.subscribed(link);
		this.loop.runDue();
		return link;
	}

	private StreamPhase phase() {
		return this.status.phase();
	}

	private List<StreamPhase> phasesEntered() {
		return this.events.stream()
			.filter(StreamPhaseChangedEvent.class::isInstance)
			.map((event) -> ((StreamPhaseChangedEvent) event).getTo())
			.toList();
	}

	private <T> List<T> eventsOf(Class<T> type) {
		return this.events.stream().filter(type::isInstance).map(type::cast).toList();
	}

	@Test
	void verifiesConnectsSubscribesCatchesUpAndGoesLive() {
		start(Transport.AUTO);
		assertThat(phase()).isEqualTo(StreamPhase.CONNECTING);
		assertThat(this.log.verifies).isOne();
		assertThat(this.feed.connects).isOne();
		Link link = this.feed.open();
		this.loop.runDue();
		assertThat(phase()).isEqualTo(StreamPhase.SUBSCRIBING);
		assertThat(this.feed.subscribes).isOne();
		this.machine.subscribed(link);
		this.loop.runDue();
		assertThat(phase()).isEqualTo(StreamPhase.LIVE);
		assertThat(this.log.catchUps).isOne();
		assertThat(phasesEntered()).containsExactly(StreamPhase.VERIFYING, StreamPhase.CONNECTING,
				StreamPhase.SUBSCRIBING, StreamPhase.CATCHING_UP, StreamPhase.LIVE);
		assertThat(eventsOf(StreamConnectedEvent.class)).singleElement()
			.satisfies((connected) -> assertThat(connected.getMode()).isEqualTo(TransportMode.WEBSOCKET));
	}

	@Test
	void aClosedConnectionBacksOffThenReconnectsWithoutVerifyingAgain() {
		start(Transport.AUTO);
		goLive();
		this.feed.drop();
		this.loop.runDue();
		assertThat(phase()).isEqualTo(StreamPhase.BACKING_OFF);
		assertThat(eventsOf(StreamDisconnectedEvent.class)).singleElement()
			.satisfies((disconnected) -> assertThat(disconnected.getReason()).isEqualTo(DisconnectReason.CLOSED));
		this.loop.advance(Duration.ofMillis(199));
		assertThat(this.feed.connects).isOne();
		this.loop.advance(Duration.ofMillis(1));
		assertThat(phase()).isEqualTo(StreamPhase.CONNECTING);
		assertThat(this.feed.connects).isEqualTo(2);
		goLive();
		assertThat(phase()).isEqualTo(StreamPhase.LIVE);
		assertThat(this.log.verifies).isOne();
		assertThat(this.machine.reconnects()).isOne();
	}

	@Test
	void failedAttemptsBackOffExponentially() {
		start(Transport.WEBSOCKET);
		this.feed.refuse();
		this.loop.runDue();
		this.loop.advance(Duration.ofMillis(200));
		assertThat(this.feed.connects).isEqualTo(2);
		this.feed.refuse();
		this.loop.advance(Duration.ofMillis(399));
		assertThat(this.feed.connects).isEqualTo(2);
		this.loop.advance(Duration.ofMillis(1));
		assertThat(this.feed.connects).isEqualTo(3);
	}

	@Test
	void aSilentConnectionIsDroppedByTheWatchdog() {
		start(Transport.AUTO);
		goLive();
		this.loop.advance(Duration.ofSeconds(5));
		assertThat(phase()).isEqualTo(StreamPhase.LIVE);
		this.feed.silence = "No message for 4001 ms";
		this.loop.advance(Duration.ofSeconds(1));
		assertThat(this.feed.closes).isOne();
		assertThat(phase()).isEqualTo(StreamPhase.BACKING_OFF);
		assertThat(eventsOf(StreamDisconnectedEvent.class)).singleElement()
			.satisfies((disconnected) -> assertThat(disconnected.getReason()).isEqualTo(DisconnectReason.SILENT));
	}

	@Test
	void autoPollsAfterTheLastFailedAttemptThenPollsEveryInterval() {
		start(Transport.AUTO);
		for (int attempt = 1; attempt <= 3; attempt++) {
			this.feed.refuse();
			this.loop.advance(Duration.ofSeconds(1));
		}
		assertThat(phase()).isEqualTo(StreamPhase.POLLING);
		assertThat(this.status.mode()).isEqualTo(TransportMode.POLLING);
		assertThat(eventsOf(TransportSwitchedEvent.class)).singleElement()
			.satisfies((switched) -> assertThat(switched.getTo()).isEqualTo(TransportMode.POLLING));
		assertThat(eventsOf(StreamConnectedEvent.class)).singleElement()
			.satisfies((connected) -> assertThat(connected.getMode()).isEqualTo(TransportMode.POLLING));
		int polls = this.log.catchUps;
		this.loop.advance(Duration.ofSeconds(15));
		assertThat(this.log.catchUps).isEqualTo(polls + 1);
	}

	@Test
	void aClusterWithoutWebSocketIsPolledAtOnce() {
		start(Transport.AUTO);
		this.machine.unavailable(DisconnectReason.NO_WEBSOCKET, "no websocketUrl");
		this.loop.runDue();
		assertThat(phase()).isEqualTo(StreamPhase.POLLING);
		assertThat(this.log.catchUps).isOne();
	}

	@Test
	void websocketNeverPolls() {
		start(Transport.WEBSOCKET);
		for (int attempt = 1; attempt <= 6; attempt++) {
			this.feed.refuse();
			this.loop.advance(Duration.ofSeconds(15));
		}
		assertThat(this.status.mode()).isEqualTo(TransportMode.WEBSOCKET);
		assertThat(this.log.catchUps).isZero();
		assertThat(this.feed.connects).isEqualTo(7);
	}

	@Test
	void pollingStartsWithACatchUpAndNeverConnects() {
		start(Transport.POLLING);
		assertThat(phasesEntered()).containsExactly(StreamPhase.VERIFYING, StreamPhase.CATCHING_UP,
				StreamPhase.POLLING);
		this.loop.advance(Duration.ofMinutes(5));
		assertThat(this.feed.connects).isZero();
		assertThat(this.log.catchUps).isEqualTo(21);
	}

	@Test
	void aFailedPollBacksOffAndPollsAgain() {
		start(Transport.POLLING);
		this.log.catchUpFailures.add(new ResourceAccessException("I/O error: connection refused"));
		this.loop.advance(Duration.ofSeconds(15));
		assertThat(phase()).isEqualTo(StreamPhase.BACKING_OFF);
		assertThat(eventsOf(StreamDisconnectedEvent.class)).singleElement()
			.satisfies((disconnected) -> assertThat(disconnected.getReason()).isEqualTo(DisconnectReason.LIST_FAILED));
		this.loop.advance(Duration.ofMillis(200));
		assertThat(phase()).isEqualTo(StreamPhase.POLLING);
		assertThat(eventsOf(StreamConnectedEvent.class)).hasSize(2);
	}

	@Test
	void whilePollingTheWebSocketIsTriedAndTakesOverOnceCaughtUp() {
		start(Transport.AUTO);
		this.machine.unavailable(DisconnectReason.NO_WEBSOCKET, "no websocketUrl");
		this.loop.runDue();
		this.loop.advance(Duration.ofSeconds(60));
		assertThat(phase()).isEqualTo(StreamPhase.TRYING_WEBSOCKET);
		assertThat(this.status.isFlowing()).isTrue();
		Link trial = this.feed.open();
		this.loop.runDue();
		assertThat(phase()).isEqualTo(StreamPhase.TRYING_WEBSOCKET);
		this.machine.subscribed(trial);
		this.loop.runDue();
		assertThat(phase()).isEqualTo(StreamPhase.LIVE);
		assertThat(this.status.mode()).isEqualTo(TransportMode.WEBSOCKET);
		assertThat(eventsOf(TransportSwitchedEvent.class)).extracting(TransportSwitchedEvent::getTo)
			.containsExactly(TransportMode.POLLING, TransportMode.WEBSOCKET);
		int catchUps = this.log.catchUps;
		this.loop.advance(Duration.ofMinutes(2));
		assertThat(this.log.catchUps).as("no more polls, no more trials").isEqualTo(catchUps);
		assertThat(this.feed.connects).isEqualTo(2);
	}

	@Test
	void aFailedTrialKeepsPollingWithoutADisconnection() {
		start(Transport.AUTO);
		this.machine.unavailable(DisconnectReason.NO_WEBSOCKET, "no websocketUrl");
		this.loop.advance(Duration.ofSeconds(60));
		this.feed.refuse();
		this.loop.runDue();
		assertThat(phase()).isEqualTo(StreamPhase.POLLING);
		assertThat(eventsOf(StreamDisconnectedEvent.class)).extracting(StreamDisconnectedEvent::getReason)
			.containsExactly(DisconnectReason.NO_WEBSOCKET);
		this.loop.advance(Duration.ofSeconds(60));
		assertThat(phase()).isEqualTo(StreamPhase.TRYING_WEBSOCKET);
	}

	@Test
	void aRejectedSubscriptionPollsForGood() {
		start(Transport.AUTO);
		Link link = this.feed.open();
		this.loop.runDue();
		this.machine.rejected(link, "status 400");
		this.loop.runDue();
		assertThat(phase()).isEqualTo(StreamPhase.POLLING);
		assertThat(this.feed.closes).isOne();
		this.loop.advance(Duration.ofMinutes(5));
		assertThat(this.feed.connects).isOne();
	}

	@Test
	void aRejectedTokenIsDownAtOnceSaidOnceAndRetriedOnTheBackOff() {
		this.log.verifyFailure = new TokenRejectedException(ENDPOINT, 401);
		start(Transport.AUTO);
		assertThat(phase()).isEqualTo(StreamPhase.BACKING_OFF);
		assertThat(this.status.reason()).isEqualTo(DisconnectReason.TOKEN_REJECTED);
		this.loop.advance(Duration.ofMinutes(1));
		assertThat(this.log.verifies).as("retried on the back-off, at most 15 s apart").isGreaterThanOrEqualTo(6);
		assertThat(eventsOf(StreamDisconnectedEvent.class)).as("one event per change, not per retry")
			.singleElement()
			.satisfies((disconnected) -> assertThat(disconnected.getCause()).contains("rejected the API token"));
		assertThat(this.feed.connects).isZero();
		this.log.verifyFailure = null;
		this.loop.advance(Duration.ofSeconds(15));
		assertThat(phase()).isEqualTo(StreamPhase.CONNECTING);
		assertThat(this.status.reason()).isNull();
		goLive();
		assertThat(phase()).isEqualTo(StreamPhase.LIVE);
	}

	@Test
	void aTokenRejectedWhileLiveClosesTheConnectionAndVerifiesUntilAccepted() {
		start(Transport.AUTO);
		goLive();
		this.log.openGaps = true;
		this.log.gapFailure = new TokenRejectedException(ENDPOINT, 401);
		this.log.verifyFailure = new TokenRejectedException(ENDPOINT, 401);
		this.loop.advance(Duration.ofSeconds(15));
		assertThat(this.feed.closes).isOne();
		assertThat(phase()).isEqualTo(StreamPhase.BACKING_OFF);
		assertThat(this.status.reason()).isEqualTo(DisconnectReason.TOKEN_REJECTED);
		this.log.gapFailure = null;
		this.log.verifyFailure = null;
		this.loop.advance(Duration.ofSeconds(15));
		assertThat(phase()).isEqualTo(StreamPhase.CONNECTING);
		goLive();
		assertThat(this.log.catchUps).as("the dropped ids come through the list").isEqualTo(2);
	}

	@Test
	void aFailureReportedWhilePausedIsNotLostToTheResume() {
		start(Transport.AUTO);
		goLive();
		this.machine.stop(StreamPhase.PAUSED);
		this.machine.fail(DisconnectReason.CHECKPOINT_CONFLICT, "Another instance saved a newer position");
		this.machine.start();
		this.loop.runDue();
		assertThat(phase()).isEqualTo(StreamPhase.FAILED);
		assertThat(this.status.reason()).isEqualTo(DisconnectReason.CHECKPOINT_CONFLICT);
		int connects = this.feed.connects;
		this.loop.advance(Duration.ofSeconds(30));
		assertThat(this.feed.connects).as("it follows nothing").isEqualTo(connects);
	}

	@Test
	void anErrorInATaskIsSaidOnceAtErrorAndTheStreamStartsAgain(CapturedOutput output) {
		start(Transport.AUTO);
		Link link = this.feed.open();
		this.loop.runDue();
		this.log.catchUpFailures.add(new OutOfMemoryError("Java heap space"));
		this.machine.subscribed(link);
		this.loop.runDue();
		assertThat(phase()).isEqualTo(StreamPhase.BACKING_OFF);
		assertThat(this.status.reason()).isEqualTo(DisconnectReason.INTERNAL_FAILURE);
		assertThat(this.feed.closes).isOne();
		assertThat(output.getAll().lines().filter((line) -> line.contains(" ERROR ")))
			.singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
			.contains("Unexpected failure", "OutOfMemoryError: Java heap space", "Trying again in 200 ms");
		this.loop.advance(Duration.ofMillis(200));
		assertThat(this.log.verifies).isEqualTo(2);
		assertThat(phase()).isEqualTo(StreamPhase.CONNECTING);
		goLive();
		assertThat(phase()).isEqualTo(StreamPhase.LIVE);
	}

	@Test
	void anErrorInAPeriodicTaskDoesNotEndIt() {
		start(Transport.AUTO);
		goLive();
		this.log.openGaps = true;
		this.log.gapFailure = new StackOverflowError();
		this.loop.advance(Duration.ofSeconds(15));
		assertThat(this.log.gapLookups).isOne();
		assertThat(phase()).isEqualTo(StreamPhase.BACKING_OFF);
		this.log.gapFailure = null;
		this.loop.advance(Duration.ofSeconds(1));
		goLive();
		this.loop.advance(Duration.ofSeconds(15));
		assertThat(this.log.gapLookups).as("the gap sweep still runs").isEqualTo(2);
	}

	@Test
	void aTokenRevokedWhileLiveIsNoticedByTheCheckEveryFewMinutes() {
		start(Transport.AUTO);
		goLive();
		this.loop.advance(Duration.ofMinutes(5));
		assertThat(this.log.verifies).as("one check of the token after five minutes live").isEqualTo(2);
		assertThat(phase()).isEqualTo(StreamPhase.LIVE);
		this.log.verifyFailure = new TokenRejectedException(ENDPOINT, 401);
		this.loop.advance(Duration.ofMinutes(5));
		assertThat(phase()).isEqualTo(StreamPhase.BACKING_OFF);
		assertThat(this.status.reason()).isEqualTo(DisconnectReason.TOKEN_REJECTED);
		assertThat(this.feed.closes).isOne();
	}

	@Test
	void aCheckOfTheTokenThatCannotReachTheApiLeavesTheStreamLive() {
		start(Transport.AUTO);
		goLive();
		this.log.verifyFailure = new ResourceAccessException("I/O error: connection refused");
		this.loop.advance(Duration.ofMinutes(5));
		assertThat(phase()).isEqualTo(StreamPhase.LIVE);
		assertThat(this.feed.closes).isZero();
	}

	@Test
	void aTokenRejectedWhilePollingIsVerifiedBeforeThePollsGoOn() {
		start(Transport.POLLING);
		this.log.catchUpFailures.add(new TokenRejectedException(ENDPOINT, 403));
		this.log.verifyFailure = new TokenRejectedException(ENDPOINT, 403);
		this.loop.advance(Duration.ofSeconds(15));
		assertThat(this.status.reason()).isEqualTo(DisconnectReason.TOKEN_REJECTED);
		int polls = this.log.catchUps;
		this.loop.advance(Duration.ofSeconds(30));
		assertThat(this.log.catchUps).isEqualTo(polls);
		this.log.verifyFailure = null;
		this.loop.advance(Duration.ofSeconds(15));
		assertThat(phase()).isEqualTo(StreamPhase.POLLING);
	}

	@Test
	void anEndpointThatIsNotAnArvadosApiIsRetriedSlowly() {
		this.log.verifyFailure = new NotAnArvadosApiException(ENDPOINT, "answered HTTP 404 (text/html)");
		start(Transport.AUTO);
		assertThat(this.status.reason()).isEqualTo(DisconnectReason.NOT_AN_ARVADOS_API);
		this.loop.advance(Duration.ofSeconds(59));
		assertThat(this.log.verifies).isOne();
		this.loop.advance(Duration.ofSeconds(1));
		assertThat(this.log.verifies).isEqualTo(2);
	}

	@Test
	void aFailedCatchUpKeepsTheConnectionAndTriesAgain() {
		start(Transport.AUTO);
		this.log.catchUpFailures.add(new ResourceAccessException("I/O error: timed out"));
		Link link = this.feed.open();
		this.loop.runDue();
		this.machine.subscribed(link);
		this.loop.runDue();
		assertThat(phase()).isEqualTo(StreamPhase.BACKING_OFF);
		this.loop.advance(Duration.ofMillis(200));
		assertThat(phase()).isEqualTo(StreamPhase.LIVE);
		assertThat(this.feed.closes).isZero();
		assertThat(this.feed.connects).isOne();
	}

	@Test
	void eventsLetGoWhileHandingOverAreCaughtUpAgainBeforeGoingLive() {
		start(Transport.AUTO);
		this.feed.releases.add(false);
		goLive();
		assertThat(phase()).isEqualTo(StreamPhase.LIVE);
		assertThat(this.log.catchUps).isEqualTo(2);
	}

	@Test
	void stopEndsEverythingAndLaterSignalsAreIgnored() {
		start(Transport.AUTO);
		Link link = goLive();
		this.machine.stop();
		assertThat(phase()).isEqualTo(StreamPhase.STOPPED);
		assertThat(this.loop.isShutdown()).isTrue();
		assertThat(this.feed.closes).isOne();
		this.machine.subscribed(link);
		this.loop.advance(Duration.ofMinutes(1));
		assertThat(phase()).isEqualTo(StreamPhase.STOPPED);
		assertThat(this.log.catchUps).isOne();
	}

	@Test
	void aRestartAfterFallingBackToPollingTriesTheWebSocketFirst() {
		start(Transport.AUTO);
		this.machine.unavailable(DisconnectReason.NO_WEBSOCKET, "no websocketUrl");
		this.loop.runDue();
		this.machine.stop();
		ManualLoop next = new ManualLoop();
		StreamMachine restarted = new StreamMachine(
				new SubscriptionSettings(ENDPOINT, "token", List.of(), StartFrom.parse("latest"), Transport.AUTO,
						backOff(), Duration.ofSeconds(4), Duration.ofMinutes(5), 3, Duration.ofSeconds(60), Duration.ofSeconds(15), 1000,
						Duration.ofHours(2)),
				this.feed, this.log, FilterChanges.NONE, this.status, new ReconnectBackOff(backOff()),
				new SecretRedactor("token"),
				() -> next);
		this.feed.signalTo(restarted);
		restarted.start();
		next.runDue();
		assertThat(this.status.mode()).isEqualTo(TransportMode.WEBSOCKET);
		assertThat(this.feed.connects).as("once before the fall-back, once after the restart").isEqualTo(2);
		assertThat(phase()).isEqualTo(StreamPhase.CONNECTING);
	}

	@Test
	void aDeadDispatcherFailsTheStream() {
		start(Transport.AUTO);
		goLive();
		this.machine.fail(DisconnectReason.DISPATCHER_FAILED, "OutOfMemoryError in a listener");
		this.loop.runDue();
		assertThat(phase()).isEqualTo(StreamPhase.FAILED);
		assertThat(this.status.reason()).isEqualTo(DisconnectReason.DISPATCHER_FAILED);
		assertThat(this.feed.closes).isOne();
		assertThat(eventsOf(StreamDisconnectedEvent.class)).singleElement()
			.satisfies((failed) -> assertThat(failed.getReason()).isEqualTo(DisconnectReason.DISPATCHER_FAILED));
	}

	@Test
	void aFilterSetAddedWhileLiveIsSubscribedOnTheConnectionAndARemovedOneUnsubscribed() {
		start(Transport.AUTO);
		Link link = goLive();
		List<StreamPhase> before = phasesEntered();
		List<EventFilter> updates = List.of(new EventFilter("event_type", "in", List.of("update")));
		this.filters.added.add(new FilterChanges.Added(updates, 42));
		this.machine.filtersChanged();
		this.loop.runDue();
		this.filters.removed.add(updates);
		this.machine.filtersChanged();
		this.loop.runDue();
		assertThat(this.feed.setMessages).containsExactly("subscribe " + updates + " after 42 on " + link,
				"unsubscribe " + updates + " on " + link);
		assertThat(this.filters.backfills).isEqualTo(3);
		assertThat(phasesEntered()).as("no phase change").isEqualTo(before);
	}

	@Test
	void whilePollingANewFilterSetSendsNothingAndItsHistoryIsRead() {
		start(Transport.POLLING);
		assertThat(phase()).isEqualTo(StreamPhase.POLLING);
		int backfills = this.filters.backfills;
		this.filters.added.add(new FilterChanges.Added(List.of(), 7));
		this.machine.filtersChanged();
		this.loop.runDue();
		assertThat(this.feed.setMessages).isEmpty();
		assertThat(this.filters.backfills).isEqualTo(backfills + 1);
	}

	@Test
	void aHistoryTheListCannotReadIsReadAgainEveryPollInterval() {
		start(Transport.AUTO);
		goLive();
		this.filters.backfillFailures.add(new ResourceAccessException("Connection refused"));
		this.machine.filtersChanged();
		this.loop.runDue();
		assertThat(phase()).as("the stream goes on").isEqualTo(StreamPhase.LIVE);
		int tries = this.filters.backfills;
		this.loop.advance(Duration.ofSeconds(15));
		assertThat(this.filters.backfills).isEqualTo(tries + 1);
	}

	@Test
	void aSubscriptionTheServerNeverAnswersIsGivenUpAndTriedAgain() {
		start(Transport.WEBSOCKET);
		this.feed.open();
		this.loop.runDue();
		assertThat(phase()).isEqualTo(StreamPhase.SUBSCRIBING);
		this.loop.advance(Duration.ofMillis(3999));
		assertThat(this.feed.closes).isZero();
		// Capped by the heartbeat timeout of these tests (4 s): no answer means no working connection.
		this.loop.advance(Duration.ofMillis(1));
		assertThat(this.feed.closes).isOne();
		assertThat(phase()).isEqualTo(StreamPhase.BACKING_OFF);
		assertThat(this.status.reason()).isEqualTo(DisconnectReason.SILENT);
		this.loop.advance(Duration.ofMillis(200));
		assertThat(this.feed.connects).isEqualTo(2);
	}

	@Test
	void anAnsweredSubscriptionIsNotGivenUp() {
		start(Transport.WEBSOCKET);
		goLive();
		this.loop.advance(Duration.ofSeconds(4));
		assertThat(this.feed.closes).isZero();
		assertThat(phase()).isEqualTo(StreamPhase.LIVE);
	}

}

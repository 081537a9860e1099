package org.arvados.events.subscription;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import org.arvados.events.checkpoint.EventCheckpointStore;
import org.arvados.events.checkpoint.ResumePosition;
import org.arvados.events.dispatch.DispatchMode;
import org.arvados.events.dispatch.EventHandlerErrorHandler;
import org.arvados.events.lifecycle.DisconnectReason;
import org.arvados.events.lifecycle.TransportMode;
import org.arvados.events.pull.ArvadosEventListeners;
import org.arvados.events.transport.LogsClient;
import org.arvados.events.transport.SecretRedactor;
import org.arvados.events.transport.TokenVerifier;
import org.arvados.events.transport.WebSocketTransport;
import org.arvados.events.transport.WebSocketUrlResolver;

import org.springframework.context.ApplicationEventPublisher;

/**
 * Wires an {@link ArvadosEventSubscription} from its parts, so that each part is given what it uses and builds
 * nothing itself: the intake and its dispatcher, the WebSocket feed, the logs list, the status and the machine.
 *
 * @param settings what the subscription needs to know
 * @param webSocket opens WebSocket connections
 * @param discovery reads the discovery document and the WebSocket URL
 * @param tokenVerifier checks the token with the API
 * @param logsClient reads the logs list
 * @param checkpointStore where the position is saved
 * @param position the resume position
 * @param queueCapacity how many events may wait for their handlers
 * @param queueMaxChars how many characters of JSON the waiting events and the one being handled may have together
 * @param dispatchMode whether the socket reader may hand an event to the handlers itself
 * @param concurrency how many threads run the handlers, each object's events in order
 * @param publisher publishes the events and the lifecycle events
 * @param errorHandler decides about handler failures
 * @param stopTimeout how long a stop waits for the handlers
 * @param checkpointInterval how often the position is saved while it changes
 * @param caughtUpThreshold a catch-up longer than this is reported with a
 * {@link org.arvados.events.lifecycle.CaughtUpEvent}, as the first of each start always is
 * @param listeners the pull listeners, shown each event before the handlers
 */
public record SubscriptionFactory(SubscriptionSettings settings, WebSocketTransport webSocket,
		WebSocketUrlResolver discovery, TokenVerifier tokenVerifier, LogsClient logsClient,
		EventCheckpointStore checkpointStore, ResumePosition position, int queueCapacity, long queueMaxChars,
		DispatchMode dispatchMode, int concurrency, ApplicationEventPublisher publisher, EventHandlerErrorHandler errorHandler, Duration stopTimeout,
		Duration checkpointInterval, Duration caughtUpThreshold, ArvadosEventListeners listeners) {

	/**
	 * A new subscription, not started.
	 */
	public ArvadosEventSubscription create() {
		SecretRedactor redactor = new SecretRedactor(this.settings.token());
		// The machine is built last; the dispatcher, first, reports its death to it.
		AtomicReference<StreamMachine> machineOnceBuilt = new AtomicReference<>();
		AtomicReference<ArvadosEventSubscription> subscriptionOnceBuilt = new AtomicReference<>();
		EventIntake intake = new EventIntake(this.position, this.settings.filters(), this.checkpointStore,
				this.queueCapacity, this.queueMaxChars, this.dispatchMode, this.concurrency, this.publisher, this.errorHandler, redactor,
				(death) -> {
					StreamMachine built = machineOnceBuilt.get();
					if (built != null) {
						built.fail(DisconnectReason.DISPATCHER_FAILED,
								"The thread that hands events to the handlers died: " + redactor.describe(death));
					}
				}, this.checkpointInterval, (conflict) -> {
					// Not on the thread that saved: it may be the stream's own, in the middle of a step that stopping it
					// would cut short, or the saver's, whose monitor a stop waits for.
					ArvadosEventSubscription built = subscriptionOnceBuilt.get();
					if (built != null) {
						CompletableFuture.runAsync(built.depositionOfThisRun(conflict));
					}
				}, this.listeners::deliver);
		LogCatchUp catchUp = new LogCatchUp(this.logsClient, this.settings.pollLimit(), intake);
		RuntimeFilters filters = new RuntimeFilters(intake, catchUp);
		StreamStatus status = new StreamStatus(this.publisher, redactor,
				(this.settings.transport() == Transport.POLLING) ? TransportMode.POLLING : TransportMode.WEBSOCKET,
				Clock.systemUTC());
		ClusterLog log = new ClusterLog(this.discovery, this.tokenVerifier, catchUp, intake,
				this.settings.pollInitialWindow(), this.settings.startFrom(),
				new CatchUpReport(intake, status, this.caughtUpThreshold), Clock.systemUTC());
		ReconnectBackOff backOff = new ReconnectBackOff(this.settings.reconnectBackOff());
		WebSocketFeed feed = new WebSocketFeed(this.settings, this.webSocket, this.discovery, intake, redactor,
				Math.max(1024, 4 * this.queueCapacity), status::isRunning, backOff);
		StreamMachine machine = new StreamMachine(this.settings, feed, log, filters, status, backOff, redactor,
				() -> new SerialWorker("arvados-events"));
		feed.signalTo(machine);
		machineOnceBuilt.set(machine);
		if (this.settings.transport() != Transport.POLLING) {
			feed.checkSubscribeSize();
		}
		ArvadosEventSubscription subscription = new ArvadosEventSubscription(this.settings, intake, filters, status,
				machine, this.stopTimeout, this.listeners);
		subscriptionOnceBuilt.set(subscription);
		return subscription;
	}

}

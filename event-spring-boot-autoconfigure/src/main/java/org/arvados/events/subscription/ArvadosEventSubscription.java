package org.arvados.events.subscription;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.arvados.events.checkpoint.ResumePosition;
import org.arvados.events.dispatch.EventDispatcher;
import org.arvados.events.filter.EventFilter;
import org.arvados.events.lifecycle.DisconnectReason;
import org.arvados.events.lifecycle.StreamPhase;
import org.arvados.events.lifecycle.StreamRole;
import org.arvados.events.lifecycle.StreamRoleChangedEvent;
import org.arvados.events.lifecycle.SubscriptionStartedEvent;
import org.arvados.events.pull.ArvadosEventListeners;
import org.arvados.events.retry.HeldEvent;
import org.arvados.events.retry.HeldEvents;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;

/**
 * The managed subscription to the cluster's events. Started last and stopped first among the application's
 * lifecycle beans, so every handler is registered before the first event and the web server outlives it.
 * <p>
 * It starts and stops the parts, nothing more: the {@link StreamMachine} follows the stream (verify, connect,
 * subscribe with {@code last_log_id} = the {@link ResumePosition resume position}, catch up through the logs
 * list, stream; poll when the WebSocket is unavailable; back off and try again after any failure), and the
 * {@link org.arvados.events.dispatch.EventDispatcher} hands the events to the handlers. While it runs, the
 * machine's thread keeps the JVM alive, so a worker without a web server runs until it is told to stop.
 * <p>
 * Stopping closes the connection, lets the queued events reach their handlers, saves the checkpoint and runs the
 * callback: always, and within the lifecycle's shutdown timeout (what is still queued then is abandoned, its
 * position not saved).
 */
public class ArvadosEventSubscription implements SmartLifecycle, DisposableBean {

	private static final Log logger = LogFactory.getLog(ArvadosEventSubscription.class);

	private static final Runnable NOTHING = () -> {
	};

	private final SubscriptionSettings settings;

	private volatile @Nullable HeldEvents held;

	private final EventIntake intake;

	private final RuntimeFilters filters;

	private final StreamStatus status;

	private final StreamMachine machine;

	private final DrainingStop drainingStop;

	private final ArvadosEventListeners listeners;

	private final Object lifecycleMonitor = new Object();

	private volatile boolean running;

	/** How many times it started: a deposition found in one run must not end a later one. */
	private volatile long runs;

	private volatile boolean paused;

	private volatile boolean autoStartup = true;

	private volatile @Nullable StreamRole role;

	private boolean positionLoaded;

	/** Gives the lead up; set with each grant. */
	private volatile Runnable yieldLead = NOTHING;

	ArvadosEventSubscription(SubscriptionSettings settings, EventIntake intake, RuntimeFilters filters,
			StreamStatus status, StreamMachine machine, Duration stopTimeout, ArvadosEventListeners listeners) {
		this.settings = settings;
		this.intake = intake;
		this.filters = filters;
		this.status = status;
		this.machine = machine;
		this.drainingStop = new DrainingStop(settings, intake, status, stopTimeout);
		this.listeners = listeners;
		status.source(this);
	}

	@Override
	public void start() {
		synchronized (this.lifecycleMonitor) {
			if (this.running) {
				return;
			}
			// From a checkpoint at every start: with several instances, another may have moved it meanwhile. Under a
			// leader election always from the shared one (the start-from applies only when none is saved): this
			// instance's own, of its previous lead, is out of date.
			StartFrom.Kind kind = this.settings.startFrom().kind();
			if (this.role != null) {
				this.intake.loadSharedPosition();
			}
			else if (!this.positionLoaded || kind == StartFrom.Kind.CHECKPOINT || kind == StartFrom.Kind.TIME) {
				this.intake.loadPosition(this.settings.startFrom());
				this.positionLoaded = true;
			}
			this.intake.dispatcher().start();
			this.intake.startSaving();
			this.runs++;
			this.running = true;
			logger.info("Following Arvados events from " + this.settings.endpoint() + " over "
					+ ((this.settings.transport() == Transport.POLLING) ? "polling" : "websocket") + " ("
					+ (this.intake.isPositionKnown() ? "resuming after id " + this.intake.resumeAfter()
							: this.settings.startFrom().describe())
					+ ")");
			this.status.publish(new SubscriptionStartedEvent(this, this.status.mode()));
			this.machine.start();
		}
	}

	@Override
	public void stop(Runnable callback) {
		synchronized (this.lifecycleMonitor) {
			if (!this.running) {
				callback.run();
				return;
			}
			this.running = false;
			this.paused = false;
			this.machine.stop();
			this.drainingStop.begin(this, callback);
		}
	}

	/**
	 * Stop, and wait until the queued events are handled. Called from a handler it returns at once instead: the
	 * handler's own thread drains the queue once the handler returns.
	 */
	@Override
	public void stop() {
		if (this.intake.dispatcher().isDispatchThread()) {
			stop(() -> {
			});
			return;
		}
		CountDownLatch stopped = new CountDownLatch(1);
		stop(stopped::countDown);
		try {
			stopped.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Stop reading events for now, without stopping: the connection is closed and nothing is polled, what is
	 * queued still reaches the handlers, and the position is kept, so that {@link #resume()} goes on from it with
	 * nothing lost or repeated. The stream's phase is {@link StreamPhase#PAUSED} (health stays UP and says so), and
	 * a {@code StreamPhaseChangedEvent} is published. Nothing happens when not running or paused already.
	 */
	public void pause() {
		synchronized (this.lifecycleMonitor) {
			if (!this.running || this.paused) {
				return;
			}
			this.paused = true;
			this.machine.stop(StreamPhase.PAUSED);
			logger.info("Paused following Arvados events from " + this.settings.endpoint() + " after id "
					+ this.intake.resumeAfter() + "; resume() goes on from there");
		}
	}

	/**
	 * Read events again after {@link #pause()}: connect (or poll) and catch up from the position kept, as after a
	 * reconnect. Nothing happens when not paused.
	 */
	public void resume() {
		synchronized (this.lifecycleMonitor) {
			if (!this.running || !this.paused) {
				return;
			}
			this.paused = false;
			logger.info("Resuming Arvados events from " + this.settings.endpoint() + " after id "
					+ this.intake.resumeAfter());
			this.machine.start();
		}
	}

	/**
	 * Whether {@link #pause()} holds the stream.
	 */
	public boolean isPaused() {
		return this.paused;
	}

	/**
	 * Follow the events one more filter set passes, from now on, as the Python SDK's {@code subscribe(filters)}: an
	 * event reaches the handlers when any set passes it ({@code arvados.events.filters} is the first set). Over the
	 * WebSocket the server is sent a {@code subscribe} message for it; the logs list is asked with the filters every
	 * set has. Each set must fit in a subscribe message of about 4 KiB. Sets added here are not saved: after a
	 * restart, subscribe again (with the id to read from, see {@link #subscribe(List, long)}).
	 * @param filters the filters of the set, all of which must pass; none for every event
	 * @return {@code false} when this set is followed already
	 */
	public boolean subscribe(List<EventFilter> filters) {
		return add(filters, this.intake.isPositionKnown() ? this.intake.highestId() : -1);
	}

	/**
	 * Follow the events one more filter set passes, as {@link #subscribe(List)}, and first the history: every
	 * event the set passes with an id above the given one, read through the logs list, that the stream has not
	 * handled through the sets before (those are not handled again). The history is read on the stream's thread
	 * once the stream knows its position, at most a page at a time; newer events go on arriving meanwhile, so the
	 * handlers see the two mixed, not in id order. When the list cannot be read, it is asked again every poll
	 * interval.
	 * @param filters the filters of the set, all of which must pass; none for every event
	 * @param afterId read the set's history after this id; 0 for all of it
	 * @return {@code false} when this set is followed already (its history is not read again)
	 */
	public boolean subscribe(List<EventFilter> filters, long afterId) {
		Assert.isTrue(afterId >= 0, "The id to read a filter set's history after must be 0 or more");
		return add(filters, afterId);
	}

	private boolean add(List<EventFilter> filters, long afterId) {
		Assert.notNull(filters, "The filters must not be null");
		Assert.noNullElements(filters, "The filters must not contain null");
		if (this.settings.transport() != Transport.POLLING) {
			WebSocketFeed.checkSubscribeSize(filters);
		}
		if (!this.filters.add(filters, afterId)) {
			return false;
		}
		this.machine.filtersChanged();
		return true;
	}

	/**
	 * Follow a filter set no more, from now on, as the Python SDK's {@code unsubscribe(filters)}: the server is
	 * sent an {@code unsubscribe} message, and events only it passed are not handled any more (those queued
	 * already still are).
	 * @param filters the filters of the set, as subscribed (or as in {@code arvados.events.filters})
	 * @throws IllegalArgumentException if that set is not followed
	 * @throws IllegalStateException if it is the only set: {@link #pause()} stops reading instead
	 */
	public void unsubscribe(List<EventFilter> filters) {
		Assert.notNull(filters, "The filters must not be null");
		this.filters.remove(filters);
		this.machine.filtersChanged();
	}

	/**
	 * The filter sets followed: {@code arvados.events.filters} and those subscribed to since (with those that wait
	 * for the stream to know its position), less those unsubscribed from.
	 */
	public List<List<EventFilter>> filterSets() {
		return this.filters.sets();
	}

	/**
	 * Whether the application context starts it; not when a leader election does.
	 */
	@Override
	public boolean isAutoStartup() {
		return this.autoStartup;
	}

	/**
	 * Let the application context start it (the default), or leave that to a leader election.
	 * @param autoStartup whether the context starts it
	 */
	public void setAutoStartup(boolean autoStartup) {
		this.autoStartup = autoStartup;
	}

	/**
	 * Leave the start to a leader election: stand by until it grants this instance the lead.
	 */
	public void awaitLeadership() {
		this.autoStartup = false;
		this.role = StreamRole.STANDBY;
	}

	/**
	 * Follow the stream as the leader, or stand by: start or stop, and say so.
	 * @param role the role this instance has been given
	 */
	public void takeRole(StreamRole role) {
		takeRole(role, () -> {
		});
	}

	/**
	 * Follow the stream as the leader, or stand by: start or stop, and say so.
	 * @param role the role this instance has been given
	 * @param yieldLead gives the lead up (Spring Integration's {@code Context.yield()}): called when this instance
	 * finds it no longer leads before the election says so (another saved under a newer lead term)
	 */
	public void takeRole(StreamRole role, Runnable yieldLead) {
		StreamRole before = this.role;
		if (role == StreamRole.LEADER) {
			this.yieldLead = yieldLead;
			this.role = role;
			logger.info("This instance leads: it follows the Arvados events of " + this.settings.endpoint());
			start();
		}
		else {
			if (this.running) {
				logger.info("This instance stands by: another follows the Arvados events of " + this.settings.endpoint());
			}
			stop();
			this.role = role;
		}
		if (before != role) {
			this.status.publish(new StreamRoleChangedEvent(this, role));
		}
	}

	/**
	 * Hand an event to the handlers only while the lead is fresh: a leader woken from a pause longer than its lock's
	 * life hands nothing more, before any revoke arrives, and stands by as {@link #deposed} says. And only while
	 * what it handled is saved within a checkpoint interval: while the store does not take the saves (a stalled
	 * database), it waits rather than hand on events the next leader would handle again.
	 * @param lease whether the lock of the lead was renewed recently enough
	 * @param describe how long ago, for the log line
	 * @param checkpointInterval how long handled events may wait for their save
	 */
	public void guardLead(BooleanSupplier lease, Supplier<String> describe, Duration checkpointInterval) {
		long holdNanos = checkpointInterval.toNanos();
		this.intake.dispatcher().setGate(() -> {
			if (!lease.getAsBoolean()) {
				return EventDispatcher.Verdict.REFUSE;
			}
			return (this.intake.unsavedNanos() > holdNanos) ? EventDispatcher.Verdict.WAIT : EventDispatcher.Verdict.HAND;
		}, () -> {
			Runnable deposition = depositionOfThisRun(
					"The lock of the lead was last renewed " + describe.get() + " ago, which may be past its life");
			CompletableFuture.runAsync(deposition);
		});
	}

	/**
	 * What stands this instance by, as {@link #deposed} says, when what it finds now was found in the run that is
	 * under way: called where it was found, and run later on another thread, it does nothing when that run has
	 * ended meanwhile (a revoke stopped it, and a grant may have started a new lead since).
	 * @param why for people
	 * @return the deposition, to run on another thread
	 */
	Runnable depositionOfThisRun(String why) {
		long run = this.runs;
		return () -> deposed(why, run);
	}

	/**
	 * Another instance saved under a newer lead term: this one hands nothing more to the handlers (what is queued is
	 * dropped: the leader handles it from the saved position), saves nothing more, stands by and gives the lead up,
	 * to take it again later. Without a leader election, two instances share a checkpoint: it stops for good.
	 * @param why for people
	 */
	void deposed(String why) {
		deposed(why, this.runs);
	}

	private void deposed(String why, long run) {
		if (this.role == null) {
			this.machine.fail(DisconnectReason.CHECKPOINT_CONFLICT, why);
			return;
		}
		Runnable yield;
		synchronized (this.lifecycleMonitor) {
			if (!this.running || this.runs != run) {
				return;
			}
			this.running = false;
			this.paused = false;
			this.machine.stop();
			int dropped = this.intake.depose();
			logger.warn(why + ": this instance no longer leads; it hands no more events to the handlers (" + dropped
					+ " queued dropped, for the leader handles them from the saved position), stands by and gives the "
					+ "lead up");
			this.role = StreamRole.STANDBY;
			yield = this.yieldLead;
			this.yieldLead = NOTHING;
		}
		this.status.publish(new StreamRoleChangedEvent(this, StreamRole.STANDBY));
		yield.run();
	}

	// Runs after the lifecycle processor gave up waiting for the drain (abandon what is still queued), or
	// when the context failed to start after this bean had started (nothing stopped it then).
	@Override
	public void destroy() {
		stop(() -> {
		});
		this.intake.abandon(this.intake.dispatcher()::abandon);
	}

	/**
	 * Let an event go that is held because its handler still fails ({@code handler-retry.exhausted: hold}): the
	 * handler is not called again, the {@code EventHandlerErrorHandler} has its last failure, the event counts as
	 * handled and the stream goes on after it. The {@code arvadosevents} actuator endpoint does the same.
	 * @param eventId the event's id
	 * @return whether an event with that id was held
	 */
	public boolean release(long eventId) {
		HeldEvents held = this.held;
		return held != null && held.release(eventId);
	}

	/**
	 * The events held now, the longest held first ({@code handler-retry.exhausted: hold}); none without holds.
	 */
	public List<HeldEvent> heldEvents() {
		HeldEvents held = this.held;
		return (held != null) ? held.list() : List.of();
	}

	/**
	 * Where the events held by handler retries are; set by the auto-configuration.
	 * @param held the held events
	 */
	public void setHeldEvents(HeldEvents held) {
		this.held = held;
	}

	/**
	 * The {@code event_at} of the oldest event not handled yet (in the handlers now, else next in the queue);
	 * {@code null} when none waits: how far behind the handlers are.
	 */
	public @Nullable Instant oldestUnhandledEventAt() {
		return this.intake.dispatcher().oldestUnhandledEventAt();
	}

	/**
	 * With {@code arvados.events.concurrency} above 1, how many events are with the handler threads (waiting for an
	 * earlier event of their object, or running); else 0.
	 */
	public int handlersInFlight() {
		return this.intake.dispatcher().handlersInFlight();
	}

	/**
	 * With {@code arvados.events.concurrency} above 1, how many objects have events with the handler threads; else
	 * 0.
	 */
	public int objectsInFlight() {
		return this.intake.dispatcher().objectsInFlight();
	}

	/**
	 * With {@code arvados.events.concurrency} above 1, be told how long each event waited between its hand-off to
	 * the handler threads and the start of its handlers (for the earlier events of its object, and for a thread).
	 * @param onObjectWait told the wait in nanoseconds, on a handler thread; must return at once
	 */
	public void onObjectWait(java.util.function.LongConsumer onObjectWait) {
		this.intake.dispatcher().setOnObjectWait(onObjectWait);
	}

	/**
	 * The pull listeners: open one to read selected events at your own pace, e.g.
	 * {@code listeners().select().eventTypes("update").open()}.
	 * @return the same instance as the {@link ArvadosEventListeners} bean
	 */
	public ArvadosEventListeners listeners() {
		return this.listeners;
	}

	/**
	 * A snapshot of the subscription's state, for health and tests; reads no I/O.
	 */
	public SubscriptionState state() {
		return this.intake.state(this.running, this.role, this.status, this.machine.reconnects(),
				this.machine.switches());
	}

	@Override
	public String toString() {
		return "ArvadosEventSubscription[" + this.settings.endpoint() + "]";
	}

}

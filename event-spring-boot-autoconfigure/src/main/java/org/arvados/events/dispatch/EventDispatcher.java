package org.arvados.events.dispatch;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.arvados.events.ArvadosEvent;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.util.Assert;

/**
 * Hands events to the handlers on one thread, in the order they were queued, through the
 * {@link ApplicationEventPublisher}, each wrapped in an {@link ArvadosPayloadEvent} as the context would wrap it. The
 * queue is bounded: when it is full, {@link #offer} waits, and so does the socket reader that calls it. After the
 * handlers of an event return (or fail and the {@link EventHandlerErrorHandler} has had its say) and every
 * {@link org.arvados.events.Acknowledgment} they took has been acknowledged, {@code onHandled} is told, never before:
 * on this thread, or on the thread of the last acknowledgment.
 * <p>
 * Nothing but a stop ends the thread: whatever a listener, the error handler or {@code onHandled} throws, an
 * {@link Error} included, is reported and the next event comes. Should the thread end anyway (a failure while
 * reporting a failure), {@code onDeath} is told and {@link #failure()} says why. There is never more than one
 * dispatching thread: {@link #start(Duration)} waits for one still draining after a stop.
 * <p>
 * A {@link #offerNotice notice} (an application event about the stream, such as the end of a catch-up) takes its
 * place in the same queue, so that its listeners run after the handlers of every event queued before it. Each
 * event is shown to the {@code tap} (the pull listeners) just before the handlers get it; the tap must not block.
 * <p>
 * With a concurrency above 1 the dispatching thread hands each event to a {@link KeyedHandOff}: the handlers run on
 * that many threads, the events of one object one at a time in queue order, those of different objects in
 * parallel. The gate, the tap and notices stay on the dispatching thread (a notice waits until every event handed off
 * before it is done), and a stop's callbacks run once every handed-off event is done.
 * <p>
 * In {@link DispatchMode#DIRECT direct} mode a producer may {@link #tryClaim() claim} an event that finds nothing
 * queued and nothing being handled, and {@link #handleClaimed handle} it on its own thread: no hand-off, the
 * shortest way from the socket to a handler. Handlers still run one at a time and in order: a claim holds the lock
 * the dispatching thread takes for each thing it hands on, and what is queued after a claim waits for it.
 */
public final class EventDispatcher {

	/** How long {@link #start()} waits for the thread of a previous run to finish its drain. */
	public static final Duration DEFAULT_START_WAIT = Duration.ofSeconds(10);

	private static final Log logger = LogFactory.getLog(EventDispatcher.class);

	private static final long POLL_MILLIS = 100;

	private static final long NAP_NANOS = 50_000;

	private static final long NAP_WINDOW_NANOS = 200_000;

	/** How often a gate that says wait is asked again. */
	private static final long GATE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

	/** Events, and notices between them. */
	private final BlockingQueue<Object> queue;

	/** The size of what waits and what is being handled, in characters of JSON. */
	private final QueueBudget budget;

	/** Asked before each event is handed to the handlers (see {@link #setGate}). */
	private volatile Gate gate = () -> Verdict.HAND;

	private volatile Runnable onGateClosed = () -> {
	};

	/** Told of what a run that ended abandoned let go (see {@link #setOnLetGo}). */
	private volatile Consumer<List<ArvadosEvent>> onLetGo = (events) -> {
	};

	/** Whether the last run ended abandoned: what was queued since belongs to it, not to the next. Under this. */
	private boolean lastRunAbandoned;

	private final ApplicationEventPublisher publisher;

	private final EventHandlerErrorHandler errorHandler;

	private final Consumer<ArvadosEvent> onHandled;

	private final Consumer<Throwable> onDeath;

	private final Consumer<ArvadosEvent> tap;

	/** In direct mode, what lets producers handle events; {@code null} in queued mode. */
	private final @Nullable DirectHandOff direct;

	/** How many threads run handlers: 1 runs them on the dispatching thread. */
	private final int concurrency;

	/** How many events may wait in the queue (and, with concurrency, be handed to the handler threads). */
	private final int capacity;

	/** Told how long each event waited for the earlier events of its object (with concurrency). */
	private volatile LongConsumer onObjectWait = (nanos) -> {
	};

	/** The run whose thread is alive, until its stop callbacks have run. Written under this. */
	private volatile @Nullable Run current;

	/** The event whose handlers run now; {@code null} while the thread waits for one. */
	private volatile @Nullable ArvadosEvent inFlight;

	private volatile @Nullable Throwable failure;

	public EventDispatcher(int capacity, ApplicationEventPublisher publisher, EventHandlerErrorHandler errorHandler,
			Consumer<ArvadosEvent> onHandled) {
		this(capacity, publisher, errorHandler, onHandled, (failure) -> {
		});
	}

	/**
	 * A dispatcher that says when its thread ends without a stop.
	 * @param capacity how many events may wait
	 * @param publisher what hands an event to the listeners
	 * @param errorHandler what a plain listener's failure goes to
	 * @param onHandled told of each event once its handlers are done
	 * @param onDeath told, on the dying thread, of what ended it; the stop callbacks run after it
	 */
	public EventDispatcher(int capacity, ApplicationEventPublisher publisher, EventHandlerErrorHandler errorHandler,
			Consumer<ArvadosEvent> onHandled, Consumer<Throwable> onDeath) {
		this(capacity, publisher, errorHandler, onHandled, onDeath, (event) -> {
		});
	}

	/**
	 * A dispatcher that also shows each event to a tap before the handlers get it.
	 * @param capacity how many events may wait
	 * @param publisher what hands an event to the listeners
	 * @param errorHandler what a plain listener's failure goes to
	 * @param onHandled told of each event once its handlers are done
	 * @param onDeath told, on the dying thread, of what ended it; the stop callbacks run after it
	 * @param tap shown each event on the dispatching thread; must return at once (what it throws is logged)
	 */
	public EventDispatcher(int capacity, ApplicationEventPublisher publisher, EventHandlerErrorHandler errorHandler,
			Consumer<ArvadosEvent> onHandled, Consumer<Throwable> onDeath, Consumer<ArvadosEvent> tap) {
		this(capacity, DispatchMode.QUEUED, publisher, errorHandler, onHandled, onDeath, tap);
	}

	/**
	 * A dispatcher that may let producers handle events themselves.
	 * @param capacity how many events may wait
	 * @param mode whether {@link #tryClaim()} may succeed
	 * @param publisher what hands an event to the listeners
	 * @param errorHandler what a plain listener's failure goes to
	 * @param onHandled told of each event once its handlers are done
	 * @param onDeath told, on the dying thread, of what ended it; the stop callbacks run after it
	 * @param tap shown each event just before the handlers; must return at once (what it throws is logged)
	 */
	public EventDispatcher(int capacity, DispatchMode mode, ApplicationEventPublisher publisher,
			EventHandlerErrorHandler errorHandler, Consumer<ArvadosEvent> onHandled, Consumer<Throwable> onDeath,
			Consumer<ArvadosEvent> tap) {
		this(capacity, mode, Long.MAX_VALUE, publisher, errorHandler, onHandled, onDeath, tap);
	}

	/**
	 * A dispatcher whose queue is bounded in size as well as in events.
	 * @param capacity how many events may wait
	 * @param mode whether {@link #tryClaim()} may succeed
	 * @param maxQueuedChars how many characters of JSON the waiting events and the one being handled may have
	 * together; an event larger than that waits until nothing else is queued, and then passes alone
	 * @param publisher what hands an event to the listeners
	 * @param errorHandler what a plain listener's failure goes to
	 * @param onHandled told of each event once its handlers are done
	 * @param onDeath told, on the dying thread, of what ended it; the stop callbacks run after it
	 * @param tap shown each event just before the handlers; must return at once (what it throws is logged)
	 */
	public EventDispatcher(int capacity, DispatchMode mode, long maxQueuedChars, ApplicationEventPublisher publisher,
			EventHandlerErrorHandler errorHandler, Consumer<ArvadosEvent> onHandled, Consumer<Throwable> onDeath,
			Consumer<ArvadosEvent> tap) {
		this(capacity, mode, 1, maxQueuedChars, publisher, errorHandler, onHandled, onDeath, tap);
	}

	/**
	 * A dispatcher that runs handlers on several threads, each object's events in order.
	 * @param capacity how many events may wait in the queue; as many more may be handed to the handler threads, at
	 * most a quarter of them (at least one) of one object
	 * @param mode whether {@link #tryClaim()} may succeed; {@link DispatchMode#DIRECT} needs a concurrency of 1
	 * @param concurrency how many threads run handlers: 1 runs them on the dispatching thread; more run the events
	 * of one object ({@code object_uuid}) one at a time in order, and those of different objects in parallel
	 * @param maxQueuedChars how many characters of JSON the waiting events and those being handled may have
	 * together; an event larger than that waits until nothing else is queued, and then passes alone
	 * @param publisher what hands an event to the listeners
	 * @param errorHandler what a plain listener's failure goes to
	 * @param onHandled told of each event once its handlers are done
	 * @param onDeath told, on the dying thread, of what ended it; the stop callbacks run after it
	 * @param tap shown each event just before the handlers, in queue order; must return at once
	 */
	public EventDispatcher(int capacity, DispatchMode mode, int concurrency, long maxQueuedChars,
			ApplicationEventPublisher publisher, EventHandlerErrorHandler errorHandler,
			Consumer<ArvadosEvent> onHandled, Consumer<Throwable> onDeath, Consumer<ArvadosEvent> tap) {
		Assert.isTrue(concurrency >= 1, "The concurrency must be 1 or more");
		Assert.isTrue(concurrency == 1 || mode != DispatchMode.DIRECT,
				"Direct dispatch hands each event on the reading thread: it takes a concurrency of 1");
		this.concurrency = concurrency;
		this.capacity = capacity;
		this.direct = (mode == DispatchMode.DIRECT) ? new DirectHandOff() : null;
		this.queue = new ArrayBlockingQueue<>(capacity);
		this.budget = new QueueBudget(maxQueuedChars);
		this.publisher = publisher;
		this.errorHandler = errorHandler;
		this.onHandled = onHandled;
		this.onDeath = onDeath;
		this.tap = tap;
	}

	/**
	 * Start the dispatching thread, waiting up to {@link #DEFAULT_START_WAIT} for one still draining.
	 * @throws IllegalStateException as {@link #start(Duration)}
	 */
	public void start() {
		start(DEFAULT_START_WAIT);
	}

	/**
	 * Start the dispatching thread; nothing when it runs already. When a stopped one is still handling what was
	 * queued before its stop, wait for it to finish (its stop callbacks included), at most {@code wait}: two threads
	 * would run handlers at once and out of order.
	 * @param wait how long to wait for a previous thread
	 * @throws IllegalStateException if the previous thread is still busy after {@code wait}, or when called from a
	 * handler (on the dispatching thread, which would wait for itself)
	 */
	public synchronized void start(Duration wait) {
		Run previous = this.current;
		if (previous != null) {
			if (previous.thread == Thread.currentThread()) {
				throw new IllegalStateException("The Arvados event dispatcher cannot be started from one of its own "
						+ "handlers; it is still running");
			}
			if (!previous.stopping && !previous.ended) {
				return; // running
			}
			awaitEnd(previous, wait);
		}
		if (this.lastRunAbandoned) {
			// Queued by a producer of the abandoned run after it ended: handed now, it would come after the ids the
			// new run reads again from the position, or in a newer lead term than the one it was read in.
			this.lastRunAbandoned = false;
			letGo(drain());
		}
		this.failure = null;
		Run run = new Run();
		this.current = run;
		run.thread.start();
	}

	// Waits on this monitor, which lets the old thread take it to finish.
	private void awaitEnd(Run previous, Duration wait) {
		long deadline = System.nanoTime() + wait.toNanos();
		try {
			while (this.current == previous) {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					ArvadosEvent busy = this.inFlight;
					throw new IllegalStateException("The Arvados event dispatcher is still handling the events queued "
							+ "before it was stopped (" + ((busy != null) ? "handlers of event " + busy.id() + " running, "
									: "")
							+ this.queue.size() + " queued) after " + wait.toMillis()
							+ " ms; not starting a second dispatching thread");
				}
				TimeUnit.NANOSECONDS.timedWait(this, left);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for the previous Arvados event dispatcher", ex);
		}
	}

	/**
	 * Queue an event, waiting up to {@code timeout} for room.
	 * @param event the event
	 * @param timeout how long to wait
	 * @return whether it was queued
	 * @throws InterruptedException if interrupted while waiting
	 */
	public boolean offer(ArvadosEvent event, Duration timeout) throws InterruptedException {
		return enqueue(event, timeout);
	}

	/**
	 * Queue a notice behind the events queued so far, waiting up to {@code timeout} for room: it is published on
	 * the dispatching thread once their handlers have returned.
	 * @param notice the application event
	 * @param timeout how long to wait
	 * @return whether it was queued
	 * @throws InterruptedException if interrupted while waiting
	 */
	public boolean offerNotice(ApplicationEvent notice, Duration timeout) throws InterruptedException {
		return enqueue(notice, timeout);
	}

	private boolean enqueue(Object item, Duration timeout) throws InterruptedException {
		long size = size(item);
		if (!this.budget.acquire(size, timeout.toNanos())) {
			return false;
		}
		DirectHandOff direct = this.direct;
		if (direct != null) {
			direct.offering();
		}
		boolean queued = false;
		try {
			queued = this.queue.offer(item, timeout.toMillis(), TimeUnit.MILLISECONDS);
			return queued;
		}
		finally {
			if (!queued) {
				this.budget.release(size);
				if (direct != null) {
					direct.notQueued();
				}
			}
		}
	}

	// What a queued item holds of the heap, as the budget counts it: its JSON's characters; a notice nothing.
	private static long size(Object item) {
		return (item instanceof ArvadosEvent event) ? event.json().length() : 0;
	}

	/**
	 * In direct mode, claim the next event for the caller's thread: when the dispatcher runs, is not stopping, and
	 * nothing is queued or being handled. A successful claim holds the handlers' lock until
	 * {@link #handleClaimed} is called, which must follow on this thread; what is queued meanwhile waits for it.
	 * @return whether the caller is to handle the next event itself; always {@code false} in queued mode
	 */
	public boolean tryClaim() {
		return this.direct != null && this.direct.tryClaim(() -> {
			Run run = this.current;
			return run != null && !run.stopping && !run.ended;
		});
	}

	/**
	 * Hand a claimed event to the handlers on the caller's thread, as the dispatching thread would, and let go of
	 * the claim. Not handled (and not marked so) if the dispatcher was stopped hard meanwhile.
	 * @param event the event claimed by {@link #tryClaim()}
	 */
	public void handleClaimed(ArvadosEvent event) {
		DirectHandOff direct = this.direct;
		Assert.state(direct != null && direct.isClaimant(Thread.currentThread()),
				"handleClaimed without a claim on this thread");
		try {
			Run run = this.current;
			if (run == null || run.abandoned || !dispatch(run, event)) {
				letGo(List.of(event));
			}
		}
		finally {
			this.inFlight = null;
			direct.release();
		}
	}

	/**
	 * How many events wait for their handlers.
	 */
	public int queueDepth() {
		return this.queue.size();
	}

	/**
	 * The {@code event_at} of the oldest event not handled yet: the one whose handlers run now, else the next in the
	 * queue. {@code null} when none waits (or it has no {@code event_at}). Reads no clock.
	 * @return when that event happened on the cluster
	 */
	public @Nullable Instant oldestUnhandledEventAt() {
		Run run = this.current;
		KeyedHandOff keyed = (run != null) ? run.keyed : null;
		ArvadosEvent handedOff = (keyed != null) ? keyed.oldest() : null;
		if (handedOff != null) {
			return handedOff.eventAt();
		}
		ArvadosEvent busy = this.inFlight;
		if (busy != null) {
			return busy.eventAt();
		}
		return (this.queue.peek() instanceof ArvadosEvent next) ? next.eventAt() : null;
	}

	/**
	 * Handle what is queued, then stop and run the callback; right away if not running. Returns at once, also when
	 * called from a handler: the callback then runs on the dispatching thread after that handler returns and the
	 * queue is drained. Each callback given runs once.
	 * @param callback run once the queue is drained
	 */
	public Stopping stop(Runnable callback) {
		synchronized (this) {
			Run run = this.current;
			if (run != null && !run.ended) {
				run.stopping = true;
				run.signalStop();
				run.callbacks.add(callback);
				return () -> abandon(run);
			}
		}
		callback.run();
		return List::of;
	}

	/**
	 * Stop at once, leaving queued events unhandled (they are not marked handled, so a durable checkpoint
	 * does not move past them). The stop callbacks still run.
	 */
	public void stopNow() {
		Run run = this.current;
		if (run != null) {
			run.abandoned = true;
			run.signalStop();
			run.thread.interrupt();
			if (run.keyed != null) {
				run.keyed.interruptRunning();
			}
		}
	}

	/**
	 * Ask a gate before each event is handed to the handlers: while it says wait, the event waits (and, the queue
	 * filling, reading pauses); when it refuses, that event and every later one reach no handler, the dispatching
	 * thread ends as after {@link #stopNow()}, and {@code onClosed} is told (on that thread, or a producer's in direct
	 * mode: it must return at once). Under a leader election the gate is the freshness of the lead and of its saves.
	 * @param gate whether events may still be handed
	 * @param onClosed told each time the gate turned an event away
	 */
	public void setGate(Gate gate, Runnable onClosed) {
		this.onGateClosed = onClosed;
		this.gate = gate;
	}

	/**
	 * Be told of the events a run lets go when it ends abandoned (a stop that timed out, {@link #stopNow()}, a
	 * gate's refusal): those left queued, the one taken but not handed, and those queued after it ended and before
	 * the next start. None of them reaches a handler in a later run, and none counts as handled; whoever reads the
	 * stream reads them again from its position. Told on the dispatching thread, a starting one, or a producer's
	 * in direct mode; it must return at once.
	 * @param onLetGo told of each batch let go (never empty)
	 */
	public void setOnLetGo(Consumer<List<ArvadosEvent>> onLetGo) {
		this.onLetGo = onLetGo;
	}

	/**
	 * With a concurrency above 1, be told how long each event waited from its hand-off to the start of its
	 * handlers: for the earlier events of its object, and for a thread. On a handler thread; must return at once.
	 * @param onObjectWait told the wait in nanoseconds
	 */
	public void setOnObjectWait(LongConsumer onObjectWait) {
		this.onObjectWait = onObjectWait;
	}

	/**
	 * How many events have been handed to the handler threads and are not done (with a concurrency above 1; else
	 * 0).
	 */
	public int handlersInFlight() {
		Run run = this.current;
		KeyedHandOff keyed = (run != null) ? run.keyed : null;
		return (keyed != null) ? keyed.inFlight() : 0;
	}

	/**
	 * How many objects have events handed to the handler threads and not done (with a concurrency above 1; else 0).
	 */
	public int objectsInFlight() {
		Run run = this.current;
		KeyedHandOff keyed = (run != null) ? run.keyed : null;
		return (keyed != null) ? keyed.keys() : 0;
	}

	/**
	 * Stop at once and drop what is queued, as after a stop that timed out, or when this instance no longer leads.
	 * Nothing more reaches the handlers (those running now finish, but their event does not count as handled); the
	 * stop callbacks still run.
	 * @return the events let go: those queued, and the one whose handlers were running
	 */
	public List<ArvadosEvent> abandon() {
		Run run = this.current;
		return (run != null) ? abandon(run) : drain();
	}

	// Only that run: a stop's time-out must not end the run of a start that came after it.
	private List<ArvadosEvent> abandon(Run run) {
		synchronized (this) {
			if (run != this.current) {
				return List.of();
			}
			run.abandoned = true;
			run.signalStop();
			run.thread.interrupt();
			if (run.keyed != null) {
				run.keyed.interruptRunning();
			}
		}
		List<ArvadosEvent> dropped = drain();
		ArvadosEvent busy = this.inFlight;
		if (busy != null) {
			dropped.add(busy);
		}
		if (run.keyed != null) {
			// What waits for its object at once, as the queue; those running are told when they end (they do not count).
			dropped.addAll(takeBackWaiting(run.keyed));
		}
		return dropped;
	}

	// Events that waited for their object, taken back: their room in the budget is given back here.
	private List<ArvadosEvent> takeBackWaiting(KeyedHandOff keyed) {
		List<ArvadosEvent> waiting = keyed.dropWaiting();
		for (ArvadosEvent event : waiting) {
			this.budget.release(size(event));
		}
		return waiting;
	}

	private List<ArvadosEvent> drain() {
		List<Object> items = new ArrayList<>();
		this.queue.drainTo(items);
		List<ArvadosEvent> events = new ArrayList<>();
		for (Object item : items) {
			if (item instanceof ArvadosEvent event) {
				this.budget.release(size(event));
				events.add(event);
			}
		}
		return events;
	}

	/**
	 * Whether the dispatching thread runs and no stop has finished.
	 */
	public synchronized boolean isRunning() {
		return this.current != null && !this.current.ended;
	}

	/**
	 * Whether the caller is the dispatching thread: a handler, or a stop callback run there. A caller that would
	 * wait for the dispatcher to stop must not wait on this thread.
	 */
	public boolean isDispatchThread() {
		Run run = this.current;
		Thread caller = Thread.currentThread();
		return (run != null && (run.thread == caller || (run.keyed != null && run.keyed.owns(caller))))
				|| (this.direct != null && this.direct.isClaimant(caller));
	}

	/**
	 * What ended the dispatching thread without a stop; {@code null} while it runs, after a stop, and after a new
	 * start.
	 */
	public @Nullable Throwable failure() {
		return this.failure;
	}

	private void run(Run run) {
		Throwable death = null;
		try {
			while (true) {
				Object event;
				try {
					event = next();
				}
				catch (InterruptedException ex) {
					if (run.abandoned) {
						break;
					}
					continue; // not ours: only stopNow ends the loop
				}
				if (event == null) {
					if (run.stopping) {
						break;
					}
				}
				else if (!handle(run, event)) {
					break;
				}
			}
			if (this.direct != null && !run.abandoned) {
				// A stop's callbacks run after the handlers of a claimed event; no claim succeeds once 'stopping' is seen.
				this.direct.awaitClaim();
			}
			if (run.keyed != null) {
				// A stop's callbacks run after every handler handed off, as after the one on this thread; abandoned, what
				// waits for its object is let go, and what runs finishes (and does not count).
				if (run.abandoned) {
					run.keyedLetGo.addAll(takeBackWaiting(run.keyed));
				}
				awaitIdle(run.keyed);
			}
		}
		catch (Throwable ex) {
			death = ex;
		}
		finally {
			this.inFlight = null;
			finish(run, death);
		}
	}

	// False when stopped hard meanwhile.
	private boolean handle(Run run, Object item) {
		DirectHandOff direct = this.direct;
		if (direct == null) {
			return handleItem(run, item);
		}
		direct.beginItem();
		try {
			return handleItem(run, item);
		}
		finally {
			// Here, not when the queue runs dry: a claimed event's handlers may be running then.
			this.inFlight = null;
			direct.endItem();
		}
	}

	// A queued item: its room in the budget is given back once its handlers are done (or it is abandoned).
	private boolean handleItem(Run run, Object item) {
		KeyedHandOff keyed = run.keyed;
		if (keyed != null) {
			return handOffItem(run, keyed, item);
		}
		if (item instanceof ArvadosEvent event) {
			try {
				// Abandoned after it was taken, or turned away by the gate: it reaches no handler, or does not count.
				boolean handed = !run.abandoned && dispatch(run, event);
				if (!handed) {
					run.letGo = event;
				}
				return handed;
			}
			finally {
				this.budget.release(size(event));
			}
		}
		publishNotice((ApplicationEvent) item);
		return true;
	}

	// With concurrency: an event goes to the handler threads (its room in the budget given back when its handlers are
	// done there); a notice waits until every event before it is done.
	private boolean handOffItem(Run run, KeyedHandOff keyed, Object item) {
		if (!(item instanceof ArvadosEvent event)) {
			if (!awaitIdle(keyed, () -> run.abandoned)) {
				return false;
			}
			publishNotice((ApplicationEvent) item);
			return true;
		}
		boolean handedOff = false;
		try {
			handedOff = !run.abandoned && passGate(run) && handOff(run, keyed, event);
			return handedOff;
		}
		finally {
			if (!handedOff) {
				run.letGo = event;
				this.budget.release(size(event));
			}
		}
	}

	private boolean handOff(Run run, KeyedHandOff keyed, ArvadosEvent event) {
		show(event);
		Runnable handling = () -> {
			try {
				if (run.abandoned || !publish(run, event)) {
					letGo(List.of(event));
				}
			}
			finally {
				this.budget.release(size(event));
			}
		};
		while (true) {
			try {
				return keyed.submit(event, handling, () -> run.abandoned);
			}
			catch (InterruptedException ex) {
				if (run.abandoned) {
					return false;
				}
				// Not ours: only a hard stop ends the run.
			}
		}
	}

	// Until nothing handed off waits or runs; interrupts that are not a hard stop are not ours.
	private boolean awaitIdle(KeyedHandOff keyed, java.util.function.BooleanSupplier giveUp) {
		while (true) {
			try {
				return keyed.awaitIdle(giveUp);
			}
			catch (InterruptedException ex) {
				// Asked again: the handlers' threads end by themselves.
			}
		}
	}

	private void awaitIdle(KeyedHandOff keyed) {
		awaitIdle(keyed, () -> false);
	}

	private void finish(Run run, @Nullable Throwable death) {
		List<Runnable> callbacks;
		List<ArvadosEvent> letGo = new ArrayList<>();
		synchronized (this) {
			run.ended = true;
			callbacks = new ArrayList<>(run.callbacks);
			if (run.abandoned) {
				// Nothing it leaves may reach a handler in the next run (see start).
				this.lastRunAbandoned = true;
				ArvadosEvent taken = run.letGo;
				if (taken != null) {
					letGo.add(taken);
				}
				letGo.addAll(run.keyedLetGo);
				letGo.addAll(drain());
			}
		}
		if (run.keyed != null) {
			run.keyed.shutdown();
		}
		letGo(letGo);
		if (death != null) {
			this.failure = death;
			reportDeath(death);
		}
		try {
			for (Runnable callback : callbacks) {
				runSafely(callback);
			}
		}
		finally {
			// Only now may a new thread start: its events must not overtake the old stop callbacks.
			synchronized (this) {
				if (this.current == run) {
					this.current = null;
				}
				notifyAll();
			}
		}
	}

	private void reportDeath(Throwable death) {
		try {
			this.onDeath.accept(death);
		}
		catch (Throwable ex) {
			death.addSuppressed(ex);
		}
		try {
			logger.error("The Arvados event dispatcher stopped without being asked to: events are no longer handled "
					+ "until the subscription is started again", death);
		}
		catch (Throwable ex) {
			// Nothing left to tell it with: onDeath and failure() have it.
		}
	}

	private void letGo(List<ArvadosEvent> events) {
		if (events.isEmpty()) {
			return;
		}
		try {
			this.onLetGo.accept(events);
		}
		catch (Throwable ex) {
			logger.error("Telling of " + events.size() + " Arvados event(s) let go failed", ex);
		}
	}

	private static void runSafely(Runnable callback) {
		try {
			callback.run();
		}
		catch (Throwable ex) {
			logger.error("A stop callback of the Arvados event dispatcher failed", ex);
		}
	}

	// Between events of a busy stream the thread naps in short timed parks before it waits on the queue: a waiting
	// thread must be woken by the socket reader, a system call per event on the reader's critical path, while a
	// napping one finds the next event itself. Napping is not spinning: it leaves the core to the socket reader and
	// TLS (on two cores a spin halved the throughput over TLS), and costs at most NAP_NANOS of latency. After
	// NAP_WINDOW_NANOS without an event the thread waits: a quiet or moderate stream (events a millisecond apart)
	// costs one wake-up per burst, not twenty naps.
	// The in-flight event is cleared only when the queue runs dry: a busy stream costs one volatile write per event
	// (in direct mode, after each event).
	private @Nullable Object next() throws InterruptedException {
		Object event = this.queue.poll();
		if (event != null) {
			return event;
		}
		if (this.direct == null && this.inFlight != null) {
			this.inFlight = null;
		}
		long napUntil = System.nanoTime() + NAP_WINDOW_NANOS;
		do {
			LockSupport.parkNanos(NAP_NANOS);
			if (Thread.interrupted()) {
				throw new InterruptedException();
			}
			event = this.queue.poll();
			if (event != null) {
				return event;
			}
		}
		while (System.nanoTime() - napUntil < 0);
		return this.queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
	}

	private void publishNotice(ApplicationEvent notice) {
		try {
			this.publisher.publishEvent(notice);
		}
		catch (Throwable ex) {
			logger.warn("A listener of " + notice.getClass().getSimpleName() + " failed; going on", ex);
		}
	}

	// Whatever is thrown, an Error included, is reported and the stream goes on. False when stopped hard meanwhile.
	private boolean dispatch(Run run, ArvadosEvent event) {
		if (!passGate(run)) {
			return false;
		}
		this.inFlight = event;
		show(event);
		return publish(run, event);
	}

	// Whether the gate lets the next event through; false when it refused (the run is then abandoned) or the run was
	// abandoned while it said wait.
	private boolean passGate(Run run) {
		for (Verdict verdict = this.gate.check(); verdict != Verdict.HAND; verdict = this.gate.check()) {
			if (run.abandoned) {
				return false;
			}
			if (verdict == Verdict.REFUSE) {
				run.abandoned = true;
				run.signalStop();
				runSafely(this.onGateClosed);
				return false;
			}
			LockSupport.parkNanos(GATE_WAIT_NANOS);
		}
		return true;
	}

	// To the pull listeners, on the dispatching thread, in queue order.
	private void show(ArvadosEvent event) {
		try {
			this.tap.accept(event);
		}
		catch (Throwable ex) {
			logger.error("Showing Arvados event " + event.id() + " to the pull listeners failed; going on", ex);
		}
	}

	// To the handlers, on this thread; false when stopped hard meanwhile (the event then does not count as handled).
	private boolean publish(Run run, ArvadosEvent event) {
		// As the context would wrap it (its source is the publisher, which is the context), but cheaper; handled
		// once the listeners return and the acknowledgments they took are acknowledged.
		ArvadosPayloadEvent published = new ArvadosPayloadEvent(this.publisher, event, () -> markHandled(event), run);
		try {
			this.publisher.publishEvent(published);
		}
		catch (Throwable ex) {
			// Only plain @EventListener methods get here: @EventHandler methods report their own failures.
			EventHandlerErrorHandlers.handleSafely(this.errorHandler, event, "an @EventListener for ArvadosEvent", ex);
		}
		// An interrupt a handler left behind is not a stop; stopNow says so in 'abandoned'.
		boolean interrupted = Thread.interrupted();
		if (published.isLetGo()) {
			// A stop cut a handler's retry short: the event is not handled, and the run ends as a stop that ran out of
			// time, letting go of what it has left (nothing after it may count while it does not).
			run.abandoned = true;
			return false;
		}
		if (run.abandoned) {
			// Stopped hard while the handlers ran: they may not have finished, so do not count it as handled.
			return false;
		}
		if (interrupted && logger.isDebugEnabled()) {
			logger.debug("A handler of Arvados event " + event.id() + " left the dispatching thread interrupted; "
					+ "cleared");
		}
		published.dispatched();
		return true;
	}

	// On the dispatching thread, or on the thread of the last acknowledgment.
	private void markHandled(ArvadosEvent event) {
		try {
			this.onHandled.accept(event);
		}
		catch (Throwable ex) {
			logger.error("Arvados event " + event.id() + " was handled, but marking it so failed; going on", ex);
		}
	}

	/** What a {@link Gate} says of the next event. */
	public enum Verdict {

		/** Hand it to the handlers. */
		HAND,

		/** Not yet: ask again shortly. */
		WAIT,

		/** Never: hand nothing more. */
		REFUSE

	}

	/** Asked before each event is handed to the handlers. */
	@FunctionalInterface
	public interface Gate {

		/**
		 * @return whether the next event may be handed now
		 */
		Verdict check();

	}

	/** A stop under way, which may be cut short. */
	@FunctionalInterface
	public interface Stopping {

		/**
		 * Stop that run at once and drop what it has queued, as {@link EventDispatcher#abandon()}; nothing when it
		 * has ended already, or a later start runs.
		 * @return the events let go
		 */
		List<ArvadosEvent> abandon();

	}

	/** One start of the dispatching thread, with its own stop. */
	private final class Run implements StopSignal {

		/** Released when the run is asked to stop, in whatever way: what a handler's retry waits on. */
		private final CountDownLatch stopSignalled = new CountDownLatch(1);

		private final Thread thread;

		/** Guarded by the dispatcher. */
		private final List<Runnable> callbacks = new ArrayList<>();

		/** Set under the dispatcher's lock, read by the thread without it. */
		private volatile boolean stopping;

		private volatile boolean abandoned;

		/** The event taken off the queue and not handed when the run was abandoned; on its thread only. */
		private @Nullable ArvadosEvent letGo;

		/** With a concurrency above 1, the handler threads of this run; {@code null} otherwise. */
		private final @Nullable KeyedHandOff keyed;

		/** What waited for its object when the run was abandoned; on its thread only. */
		private final List<ArvadosEvent> keyedLetGo = new ArrayList<>();

		/** Guarded by the dispatcher: the callbacks have been taken, a later stop runs its own at once. */
		private boolean ended;

		void signalStop() {
			this.stopSignalled.countDown();
		}

		@Override
		public boolean isStopping() {
			return this.stopSignalled.getCount() == 0;
		}

		@Override
		public boolean await(long nanos) throws InterruptedException {
			return this.stopSignalled.await(nanos, TimeUnit.NANOSECONDS);
		}

		Run() {
			this.thread = new Thread(() -> EventDispatcher.this.run(this), "arvados-events-dispatch");
			this.thread.setDaemon(true);
			this.keyed = (EventDispatcher.this.concurrency > 1)
					? new KeyedHandOff(EventDispatcher.this.concurrency, EventDispatcher.this.capacity,
							Math.max(1, EventDispatcher.this.capacity / 4), "arvados-events-handler",
							(nanos) -> EventDispatcher.this.onObjectWait.accept(nanos))
					: null;
		}

	}

}

package org.arvados.events.dispatch;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.arvados.events.Acknowledgment;
import org.arvados.events.ArvadosEvent;

import org.springframework.context.PayloadApplicationEvent;
import org.springframework.core.ResolvableType;

/**
 * How the dispatcher hands an {@link ArvadosEvent} to the listeners: the same {@link PayloadApplicationEvent} the
 * context would wrap it in, with its generic type built once (the context's own wrapping builds it for every event,
 * a third of the dispatching thread's time in a busy stream), and the {@link Acknowledgment}s its handlers take.
 * <p>
 * The event counts as handled once the listeners have returned and every acknowledgment given out has been
 * acknowledged, whichever comes last, on whichever thread.
 */
public final class ArvadosPayloadEvent extends PayloadApplicationEvent<ArvadosEvent> {

	private static final ResolvableType PAYLOAD_TYPE = ResolvableType.forClass(ArvadosEvent.class);

	private static final ResolvableType TYPE = ResolvableType.forClassWithGenerics(PayloadApplicationEvent.class,
			PAYLOAD_TYPE);

	private final transient Runnable handled;

	private final transient StopSignal stopSignal;

	/** A handler gave up on it because the run is being stopped: it must not count as handled. */
	private volatile boolean letGo;

	/** The listeners still running (1 until they return) plus the acknowledgments still outstanding. */
	private final AtomicInteger pending = new AtomicInteger(1);

	ArvadosPayloadEvent(Object source, ArvadosEvent payload, Runnable handled, StopSignal stopSignal) {
		super(source, payload, PAYLOAD_TYPE);
		this.handled = handled;
		this.stopSignal = stopSignal;
	}

	@Override
	public ResolvableType getResolvableType() {
		return TYPE;
	}

	/**
	 * A new acknowledgment that this event waits for: it is not handled until that is acknowledged too. Called by a
	 * handler's adapter while the listeners run.
	 * @return the acknowledgment, which acts once however often it is called
	 */
	public Acknowledgment acknowledgment() {
		this.pending.incrementAndGet();
		AtomicBoolean done = new AtomicBoolean();
		return () -> {
			if (done.compareAndSet(false, true)) {
				release();
			}
		};
	}

	/**
	 * Whether the run that dispatches this event is being stopped; what a handler's retry waits on between attempts.
	 * @return the signal
	 */
	public StopSignal stopSignal() {
		return this.stopSignal;
	}

	/**
	 * A handler gave this event up unhandled because its run is being stopped (a stop cut its retry's back-off
	 * short): the event does not count as handled, even if other handlers of it returned, and the run ends as a stop
	 * that ran out of time does, letting go of what it still has. The next start reads them again.
	 */
	public void letGo() {
		this.letGo = true;
	}

	boolean isLetGo() {
		return this.letGo;
	}

	/** The listeners have returned. */
	void dispatched() {
		release();
	}

	private void release() {
		if (this.pending.decrementAndGet() == 0) {
			this.handled.run();
		}
	}

}

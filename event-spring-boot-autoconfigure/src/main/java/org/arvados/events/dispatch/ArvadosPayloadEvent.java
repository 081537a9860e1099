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

	/** The listeners still running (1 until they return) plus the acknowledgments still outstanding. */
	private final AtomicInteger pending = new AtomicInteger(1);

	ArvadosPayloadEvent(Object source, ArvadosEvent payload, Runnable handled) {
		super(source, payload, PAYLOAD_TYPE);
		this.handled = handled;
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

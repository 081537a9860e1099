package org.arvados.events.pull;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.arvados.events.ArvadosEvent;

import org.springframework.beans.factory.DisposableBean;

/**
 * The pull listeners of a subscription: open one with {@link #select()}, from any thread, while the stream runs
 * or not. The dispatching thread shows each event (after {@code arvados.events.filters}) to every open listener
 * just before the handlers get it; a listener takes it or not, and never makes the stream wait. Listeners still
 * open when the application stops are closed, which wakes their readers.
 *
 * <pre class="code">
 * try (PullListener collections = listeners.select().objectUuids("zzzzz-4zz18-*").capacity(100).open()) {
 *     ArvadosEvent next = collections.poll(Duration.ofSeconds(30));
 * }
 * </pre>
 */
public class ArvadosEventListeners implements DisposableBean {

	private static final Log logger = LogFactory.getLog(ArvadosEventListeners.class);

	private final List<PullListener> open = new CopyOnWriteArrayList<>();

	private final AtomicLong dropped = new AtomicLong();

	private final AtomicInteger opened = new AtomicInteger();

	/**
	 * Describe a listener to open: which events, how many may wait, what happens when full.
	 * @return a builder; its {@link PullListenerBuilder#open()} opens the listener
	 */
	public PullListenerBuilder select() {
		return new PullListenerBuilder(this);
	}

	PullListener open(PullListenerBuilder spec) {
		String name = (spec.name() != null) ? spec.name() : "pull-" + this.opened.incrementAndGet();
		PullListener listener = new PullListener(name, spec.selector(), spec.capacity(), spec.overflowPolicy(),
				spec.historySize(), this.dropped, this.open::remove);
		this.open.add(listener);
		if (logger.isDebugEnabled()) {
			logger.debug("Opened " + listener);
		}
		return listener;
	}

	/**
	 * Show an event to every open listener. Called on the dispatching thread; never waits for a reader.
	 * @param event an event on its way to the handlers
	 */
	public void deliver(ArvadosEvent event) {
		for (PullListener listener : this.open) {
			listener.offer(event);
		}
	}

	/** The listeners open now. */
	public List<PullListener> openListeners() {
		return List.copyOf(this.open);
	}

	/** How many selected events all listeners, closed ones included, dropped because their queue was full. */
	public long dropped() {
		return this.dropped.get();
	}

	/** Close every open listener, waking its readers. */
	public void closeAll() {
		for (PullListener listener : this.open) {
			listener.close();
		}
	}

	@Override
	public void destroy() {
		closeAll();
	}

	@Override
	public String toString() {
		return "ArvadosEventListeners[open=" + this.open.size() + ", dropped=" + this.dropped.get() + "]";
	}

}

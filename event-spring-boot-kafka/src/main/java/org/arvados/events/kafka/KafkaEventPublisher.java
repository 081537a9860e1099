package org.arvados.events.kafka;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.arvados.events.Acknowledgment;
import org.arvados.events.ArvadosEvent;
import org.arvados.events.annotation.EventHandler;
import org.arvados.events.lifecycle.StreamRole;
import org.arvados.events.lifecycle.StreamRoleChangedEvent;
import org.arvados.events.lifecycle.SubscriptionStoppedEvent;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.event.EventListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.util.backoff.BackOff;

/**
 * Publishes each event the stream delivers to a Kafka topic, and lets the stream's position pass an event only once
 * Kafka has it. The record is keyed by the event's object and its value is the event as received; its
 * {@link ArvadosEventHeaders headers} carry the id, the type and the object's kind.
 * <p>
 * It is an {@link EventHandler}: with a leader election only the leader's stream runs, so only the leader publishes.
 * Each event is sent and waited for before the handler returns; a send that fails is tried again until it succeeds
 * (see {@link RetryUntilSent}), so nothing is skipped and each object's events land in order. With
 * {@code arvados.events.concurrency} above 1 the events of different objects are sent in parallel. After a crash or
 * a fail-over an event may be sent again: consumers drop repeats by {@link ArvadosEventHeaders#EVENT_ID}.
 */
public class KafkaEventPublisher implements DisposableBean {

	private final KafkaTemplate<String, String> kafka;

	private final String topic;

	private final RetryUntilSent retry;

	/** The threads in {@link #publish} now. */
	private final Set<Thread> sending = ConcurrentHashMap.newKeySet();

	/**
	 * @param kafka the template to send with; idempotent, with {@code acks=all}; when it is transactional, each event
	 * is sent in a transaction of its own. Destroyed with this publisher.
	 * @param topic the topic
	 * @param backOff the waits between attempts of a send that fails
	 */
	public KafkaEventPublisher(KafkaTemplate<String, String> kafka, String topic, BackOff backOff) {
		this.kafka = kafka;
		this.topic = topic;
		this.retry = new RetryUntilSent(backOff, topic);
	}

	/**
	 * Send an event and acknowledge it once Kafka has it. Returns then, or when the thread is interrupted (a stop
	 * that ran out of time, the lead lost; see {@link #stopped}): the event is then not acknowledged, the position
	 * stays before it, and the next start or the next leader sends it.
	 * @param event the event
	 * @param ack acknowledged when the send succeeded
	 */
	@EventHandler
	public void publish(ArvadosEvent event, Acknowledgment ack) {
		ProducerRecord<String, String> record = EventRecords.of(this.topic, event);
		boolean sent;
		this.sending.add(Thread.currentThread());
		try {
			sent = this.retry.send(event, () -> EventRecords.sendAndWait(this.kafka, record));
		}
		finally {
			this.sending.remove(Thread.currentThread());
		}
		if (sent) {
			ack.acknowledge();
		}
	}

	/**
	 * End the sends still under way once the subscription has stopped: the stop let their events go (they are not
	 * acknowledged, and the next start sends them). With {@code arvados.events.concurrency} 1 the stop interrupts
	 * the handler's thread itself; above 1 it leaves its handler threads be, and a send that waits for an absent
	 * broker would go on trying until the process ends, or land late, after a new leader sent the events after it.
	 * @param stopped the end of a stop
	 */
	@EventListener
	public void stopped(SubscriptionStoppedEvent stopped) {
		this.sending.forEach(Thread::interrupt);
	}

	/**
	 * End the sends under way when this instance no longer leads (a revoke, or another instance saved under a newer
	 * lead term): the next leader sends their events from the saved position, and a send that went on here would
	 * land after the events it sends.
	 * @param changed the change of role
	 */
	@EventListener
	public void roleChanged(StreamRoleChangedEvent changed) {
		if (changed.getRole() == StreamRole.STANDBY) {
			this.sending.forEach(Thread::interrupt);
		}
	}

	/**
	 * The topic each event goes to.
	 * @return the topic
	 */
	public String getTopic() {
		return this.topic;
	}

	@Override
	public void destroy() {
		this.sending.forEach(Thread::interrupt);
		this.kafka.destroy();
	}

}

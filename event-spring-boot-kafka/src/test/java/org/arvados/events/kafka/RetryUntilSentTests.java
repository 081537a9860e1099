package org.arvados.events.kafka;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.arvados.events.ArvadosEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.kafka.core.KafkaProducerException;
import org.springframework.util.backoff.ExponentialBackOff;
import org.springframework.util.backoff.FixedBackOff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A send that fails is tried again for as long as it takes; only an interrupt ends it unsent.
 */
@ExtendWith(OutputCaptureExtension.class)
class RetryUntilSentTests {

	private static final ArvadosEvent EVENT = Events.update(5, "zzzzz-4zz18-0123456789abcde");

	@Test
	void aFailedSendIsTriedAgainUntilItSucceeds(CapturedOutput output) {
		AtomicInteger attempts = new AtomicInteger();
		ExponentialBackOff backOff = new ExponentialBackOff(1, 2);
		backOff.setMaxInterval(4);
		boolean sent = new RetryUntilSent(backOff, "t").send(EVENT, () -> {
			if (attempts.incrementAndGet() <= 3) {
				// As KafkaTemplate fails a future: its exception around the client's.
				throw new KafkaProducerException(null, "Failed to send", new TimeoutException("Expiring 1 record(s)"));
			}
		});
		assertThat(sent).isTrue();
		assertThat(attempts).hasValue(4);
		assertThat(output.getOut().lines().filter((line) -> line.contains(" WARN ")))
			.hasSize(3)
			.allSatisfy((line) -> assertThat(line).contains("Arvados event 5", "Kafka topic 't'",
					"org.apache.kafka.common.errors.TimeoutException: Expiring 1 record(s)"));
		assertThat(output).contains("Sent Arvados event 5 to Kafka topic 't' after 3 failed attempt(s)");
	}

	@Test
	void aFailureThatDoesNotPassByItselfIsSaidOnceAsAnErrorAndStillTriedAgain(CapturedOutput output) {
		AtomicInteger attempts = new AtomicInteger();
		boolean sent = new RetryUntilSent(new FixedBackOff(1), "t").send(EVENT, () -> {
			if (attempts.incrementAndGet() <= 5) {
				throw new RecordTooLargeException("The message is 2000000 bytes");
			}
		});
		assertThat(sent).isTrue();
		assertThat(attempts).hasValue(6);
		assertThat(output.getOut().lines().filter((line) -> line.contains(" ERROR "))).singleElement()
			.satisfies((line) -> assertThat(line).contains("RecordTooLargeException", "does not pass by itself"));
		assertThat(output.getOut().lines().filter((line) -> line.contains(" DEBUG ") && line.contains("attempt ")))
			.hasSize(4);
	}

	@Test
	void aBackOffThatEndsStartsOverRatherThanGiveUp() {
		AtomicInteger attempts = new AtomicInteger();
		boolean sent = new RetryUntilSent(new FixedBackOff(1, 2), "t").send(EVENT, () -> {
			if (attempts.incrementAndGet() <= 7) {
				throw new TimeoutException("broker away");
			}
		});
		assertThat(sent).isTrue();
		assertThat(attempts).hasValue(8);
	}

	@Test
	void anInterruptWhileWaitingToTryAgainEndsItUnsent(CapturedOutput output) {
		AtomicInteger attempts = new AtomicInteger();
		AtomicBoolean stillInterrupted = new AtomicBoolean();
		RetryUntilSent retry = new RetryUntilSent(new FixedBackOff(60_000), "t");
		Thread thread = new Thread(() -> {
			boolean sent = retry.send(EVENT, () -> {
				attempts.incrementAndGet();
				throw new TimeoutException("broker away");
			});
			stillInterrupted.set(!sent && Thread.currentThread().isInterrupted());
		});
		thread.start();
		await().until(() -> attempts.get() == 1 && thread.getState() == Thread.State.TIMED_WAITING);
		thread.interrupt();
		await().until(() -> !thread.isAlive());
		assertThat(stillInterrupted).isTrue();
		assertThat(attempts).hasValue(1);
		assertThat(output).contains("Stopped sending Arvados event 5 to Kafka topic 't'");
	}

	@Test
	void anInterruptWhileWaitingForKafkaEndsItUnsent() {
		CompletableFuture<Void> neverAnswered = new CompletableFuture<>();
		AtomicInteger attempts = new AtomicInteger();
		AtomicBoolean stillInterrupted = new AtomicBoolean();
		RetryUntilSent retry = new RetryUntilSent(new FixedBackOff(1), "t");
		Thread thread = new Thread(() -> {
			boolean sent = retry.send(EVENT, () -> {
				attempts.incrementAndGet();
				neverAnswered.get();
			});
			stillInterrupted.set(!sent && Thread.currentThread().isInterrupted());
		});
		thread.start();
		await().until(() -> thread.getState() == Thread.State.WAITING);
		thread.interrupt();
		await().until(() -> !thread.isAlive());
		assertThat(stillInterrupted).isTrue();
		assertThat(attempts).hasValue(1);
	}

}

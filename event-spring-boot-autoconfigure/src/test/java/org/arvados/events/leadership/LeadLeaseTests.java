package org.arvados.events.leadership;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;

import org.junit.jupiter.api.Test;

import org.springframework.integration.support.locks.DefaultLockRegistry;

import static org.assertj.core.api.Assertions.assertThat;

class LeadLeaseTests {

	private final AtomicLong now = new AtomicLong(Long.MAX_VALUE - Duration.ofSeconds(5).toNanos());

	private final LeadLease lease = new LeadLease(Duration.ofSeconds(10), this.now::get);

	@Test
	void freshUntilTheTimeToLiveLessAMarginAfterTheLastRenewalEvenAcrossAWrapOfTheClock() {
		assertThat(this.lease.getAsBoolean()).as("never taken").isFalse();
		this.lease.renewed();
		assertThat(this.lease.getAsBoolean()).isTrue();
		this.now.addAndGet(Duration.ofMillis(7999).toNanos());
		assertThat(this.lease.getAsBoolean()).isTrue();
		this.now.addAndGet(Duration.ofMillis(1).toNanos());
		assertThat(this.lease.getAsBoolean()).as("8 s after: a fifth of the 10 s left as margin").isFalse();
		assertThat(this.lease.sinceRenewal()).isEqualTo(Duration.ofSeconds(8));
		this.lease.renewed();
		assertThat(this.lease.getAsBoolean()).isTrue();
	}

	@Test
	void eachLockTheInitiatorTakesRenewsIt() throws InterruptedException {
		LeaseTrackingLockRegistry registry = new LeaseTrackingLockRegistry(new DefaultLockRegistry(), this.lease);
		Lock lock = registry.obtain("arvados-events");
		assertThat(lock.tryLock(10, java.util.concurrent.TimeUnit.MILLISECONDS)).isTrue();
		assertThat(this.lease.getAsBoolean()).isTrue();
		this.now.addAndGet(Duration.ofSeconds(9).toNanos());
		assertThat(this.lease.getAsBoolean()).isFalse();
		assertThat(lock.tryLock()).isTrue();
		assertThat(this.lease.getAsBoolean()).isTrue();
		lock.unlock();
		lock.unlock();
	}

}

package org.arvados.events.worker;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

import org.arvados.events.ArvadosEvent;
import org.arvados.events.annotation.EventHandler;
import org.arvados.events.checkpoint.EventCheckpointStore;
import org.arvados.events.checkpoint.MetadataStoreEventCheckpointStore;
import org.arvados.events.lifecycle.StreamRoleChangedEvent;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;

/**
 * The worker of {@link ChaosTests}: with the checkpoint in the database and a leader election, it prints a line
 * per event handled, {@code handled <id> term <lead term> at <epoch millis>}, and one per role it is given,
 * {@code role <LEADER|STANDBY> at <epoch millis>}. Each handler works {@link #WORK} (parked, as a handler that
 * waits on I/O), so that "one checkpoint interval worth of events" is a number: at most interval / work.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class ChaosWorker {

	/** How long each event's handling takes. */
	static final Duration WORK = Duration.ofMillis(5);

	@Bean
	Recorder recorder(EventCheckpointStore store) {
		return new Recorder((MetadataStoreEventCheckpointStore) store);
	}

	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(ChaosWorker.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.run(args);
	}

	static class Recorder {

		private final MetadataStoreEventCheckpointStore store;

		Recorder(MetadataStoreEventCheckpointStore store) {
			this.store = store;
		}

		@EventHandler
		void handle(ArvadosEvent event) {
			LockSupport.parkNanos(WORK.toNanos());
			// One println per line, flushed: a kill loses at most the line being written, never a finished one.
			System.out.println("handled " + event.id() + " term " + this.store.getTerm() + " at "
					+ System.currentTimeMillis());
		}

		@EventListener
		void role(StreamRoleChangedEvent changed) {
			System.out.println("role " + changed.getRole() + " at " + System.currentTimeMillis());
		}

	}

}

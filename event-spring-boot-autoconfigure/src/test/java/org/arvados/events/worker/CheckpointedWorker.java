package org.arvados.events.worker;

import org.arvados.events.ArvadosEvent;
import org.arvados.events.annotation.EventHandler;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * A worker that keeps its position (a checkpoint file or the database, by its arguments) and prints each event it
 * handles, a line at a time, as {@code handled <id>}. Run in a JVM of its own by the restart and failover tests.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class CheckpointedWorker {

	@Bean
	Printer printer() {
		return new Printer();
	}

	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(CheckpointedWorker.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.run(args);
	}

	static class Printer {

		@EventHandler
		void handle(ArvadosEvent event) {
			// One write per line, flushed: a kill must not lose a line for an event that was handled.
			System.out.println("handled " + event.id());
		}

	}

}

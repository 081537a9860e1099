package org.arvados.events.worker;

import org.arvados.events.ArvadosEvent;
import org.arvados.events.annotation.EventHandler;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * A worker as the README's quick start makes it: no web server, only the starter and a handler. Run in a JVM of
 * its own by {@link PlainWorkerTests}; prints what it handles.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class PlainWorker {

	@Bean
	Handler handler() {
		return new Handler();
	}

	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(PlainWorker.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.run(args);
		System.out.println("main returned");
	}

	static class Handler {

		@EventHandler
		void handle(ArvadosEvent event) {
			System.out.println("handled " + event.id());
		}

	}

}

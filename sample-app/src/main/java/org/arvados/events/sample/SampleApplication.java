package org.arvados.events.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Follows an Arvados cluster's events and logs what it sees. Without {@code arvados.events.endpoint} or
 * {@code ARVADOS_API_HOST} it follows an embedded fake cluster that plays a believable stream.
 */
@SpringBootApplication
public class SampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}

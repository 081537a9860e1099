package org.arvados.events.sample;

import java.time.Instant;
import java.util.Map;

import org.arvados.events.ArvadosEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the watchers log comes from the cluster, where anyone may name a collection: one event, one line.
 */
@ExtendWith(OutputCaptureExtension.class)
class WatcherLogTests {

	private static final String FORGED = "\n12:00:00.000 ERROR [main] forged";

	@Test
	void aCollectionNamedWithALineBreakStaysOnItsLine(CapturedOutput output) {
		new CollectionWatcher().onCollection(event("arvados#collection", Map.of("name", "report" + FORGED)));
		assertThat(output.getAll()).contains("#7 update collection zzzzz-4zz18-0123456789abcde\\n12:00:00.000 ERROR "
				+ "[main] forged {name=report\\n12:00:00.000 ERROR [main] forged}")
			.doesNotContain(System.lineSeparator() + "12:00:00.000");
	}

	@Test
	void aContainerStateWithALineBreakStaysOnItsLine(CapturedOutput output) {
		new ContainerRequestWatcher().onContainer(event("arvados#container", Map.of("state", "Running" + FORGED)));
		assertThat(output.getAll()).contains("is Running\\n12:00:00.000 ERROR [main] forged")
			.doesNotContain(System.lineSeparator() + "12:00:00.000");
	}

	private static ArvadosEvent event(String kind, Map<String, Object> newAttributes) {
		return new ArvadosEvent(7, "zzzzz-57u5n-000000000000007", "zzzzz-4zz18-0123456789abcde" + FORGED,
				"zzzzz-tpzed-xurymjxw79nv3jz", kind, "update", Instant.EPOCH, Map.of("new_attributes", newAttributes),
				"{}");
	}

}

package org.arvados.events.dispatch;

import java.time.Instant;
import java.util.Map;

import org.arvados.events.ArvadosEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Event types and UUIDs are anyone's strings: the error handler's log line keeps them on it.
 */
@ExtendWith(OutputCaptureExtension.class)
class LoggingEventHandlerErrorHandlerTests {

	@Test
	void aLineBreakInTheEventCannotForgeALogLine(CapturedOutput output) {
		ArvadosEvent event = new ArvadosEvent(42, "zzzzz-57u5n-000000000000042",
				"zzzzz-4zz18-0123456789abcde\n12:00:00.000 INFO  [main] forged", "zzzzz-tpzed-xurymjxw79nv3jz",
				"arvados#collection", "update\r\n12:00:00.000 WARN  [main] forged", Instant.EPOCH, Map.of(), "{}");
		new LoggingEventHandlerErrorHandler().handleError(event, "Watcher.on", new IllegalStateException("boom"));
		assertThat(output.getAll()).contains("Handler Watcher.on failed on Arvados event 42 (update\\r\\n12:00:00.000 "
				+ "WARN  [main] forged zzzzz-4zz18-0123456789abcde\\n12:00:00.000 INFO  [main] forged); going on")
			.doesNotContain(System.lineSeparator() + "12:00:00.000");
	}

}

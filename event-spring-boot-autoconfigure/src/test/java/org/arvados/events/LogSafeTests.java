package org.arvados.events;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LogSafeTests {

	@Test
	void escapesLineBreaksAndOtherControlCharactersSoNoLineCanBeForged() {
		assertThat(LogSafe.forLog("update\r\n12:00:00.000 ERROR [main] forged")).isEqualTo(
				"update\\r\\n12:00:00.000 ERROR [main] forged");
		assertThat(LogSafe.forLog("a\tb\u0000c\u001b[31md\u007fe\u0085f\u2028g\u2029h\u202ei"))
			.isEqualTo("a\\tb\\u0000c\\u001b[31md\\u007fe\\u0085f\\u2028g\\u2029h\\u202ei");
	}

	@Test
	void leavesOrdinaryTextAsItIs() {
		String text = "zzzzz-4zz18-0123456789abcde Données \\n 名前 😀";
		assertThat(LogSafe.forLog(text)).isSameAs(text);
		assertThat(LogSafe.forLog(null)).isEqualTo("null");
		assertThat(LogSafe.forLog(Map.of("name", "a\nb"))).isEqualTo("{name=a\\nb}");
	}

	@Test
	void anEventPrintsOnOneLine() {
		ArvadosEvent event = new ArvadosEvent(7, "zzzzz-57u5n-000000000000007", "zzzzz-4zz18-x\nINFO forged",
				"zzzzz-tpzed-xurymjxw79nv3jz", "arvados#collection", "update\r\nWARN forged", Instant.EPOCH, Map.of(),
				"{}");
		assertThat(event.toString()).doesNotContain("\n", "\r")
			.contains("eventType=update\\r\\nWARN forged", "objectUuid=zzzzz-4zz18-x\\nINFO forged");
	}

}

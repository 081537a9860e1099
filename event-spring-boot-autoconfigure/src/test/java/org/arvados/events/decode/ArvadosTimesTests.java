package org.arvados.events.decode;

import java.time.Instant;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class ArvadosTimesTests {

	@ParameterizedTest
	@ValueSource(strings = { "2026-11-23T00:32:34.828334Z", "2026-11-23T00:32:34.828334000Z", "2026-11-23T00:32:34Z",
			"2024-02-29T23:59:59.1Z", "1999-12-31T00:00:00.000000001Z", "2026-11-23T01:32:34.5+01:00", "2026-11-23T00:32:34.Z" })
	void readsWhatInstantParseReads(String text) {
		assertThat(ArvadosTimes.parse(text)).isEqualTo(Instant.parse(text));
	}

	@ParameterizedTest
	@CsvSource({ "''", "yesterday", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z",
			"2026-11-23T00:32:34.1234567890Z", "2026-11-23 00:32:34Z", "2026-1a-23T00:32:34Z" })
	void givesNullForWhatIsNotATime(String text) {
		assertThat(ArvadosTimes.parse(text)).isNull();
	}

}

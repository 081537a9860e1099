package org.arvados.events.test.format;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Go and Rails time formats, and Go's strict RFC 3339 parser.
 */
class TimestampsTests {

	@Test
	void goFormatTrimsTrailingZeros() {
		assertThat(Timestamps.rfc3339Trimmed(Instant.parse("2026-11-23T00:32:34.828334Z")))
			.isEqualTo("2026-11-23T00:32:34.828334Z");
		assertThat(Timestamps.rfc3339Trimmed(Instant.parse("2026-11-23T00:32:34.820000Z")))
			.isEqualTo("2026-11-23T00:32:34.82Z");
		assertThat(Timestamps.rfc3339Trimmed(Instant.parse("2024-05-01T12:34:56Z"))).isEqualTo("2024-05-01T12:34:56Z");
	}

	@Test
	void railsFormatHasNineDigits() {
		assertThat(Timestamps.rails(Instant.parse("2024-05-01T12:34:56.789012Z")))
			.isEqualTo("2024-05-01T12:34:56.789012000Z");
		assertThat(Timestamps.rails(Instant.parse("2024-05-01T12:34:56Z"))).isEqualTo("2024-05-01T12:34:56.000000000Z");
	}

	@Test
	void nowHasMicrosecondPrecision() {
		assertThat(Timestamps.now().getNano() % 1000).isZero();
	}

	@Test
	void rfc3339NeedsSecondsAndAZone() {
		assertThat(Timestamps.parseRfc3339("2024-05-01T00:00:00Z")).isEqualTo(Instant.parse("2024-05-01T00:00:00Z"));
		assertThat(Timestamps.parseRfc3339("2024-05-01T02:00:00.5+02:00"))
			.isEqualTo(Instant.parse("2024-05-01T00:00:00.5Z"));
		assertThat(Timestamps.parseRfc3339("2024-05-01")).isNull();
		assertThat(Timestamps.parseRfc3339("2024-05-01 10:00:00")).isNull();
		assertThat(Timestamps.parseRfc3339("2024-05-01T10:00Z")).isNull();
	}

	@Test
	void lenientParsingAcceptsWhatRailsAccepts() {
		assertThat(Timestamps.parseLenient("2024-05-01")).isEqualTo(Instant.parse("2024-05-01T00:00:00Z"));
		assertThat(Timestamps.parseLenient("2024-05-01 10:00:00")).isEqualTo(Instant.parse("2024-05-01T10:00:00Z"));
		assertThat(Timestamps.parseLenient("yesterday")).isNull();
	}

}

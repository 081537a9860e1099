package org.arvados.events.decode;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.arvados.events.ArvadosEvent;
import org.arvados.events.checkpoint.Checkpoint;
import org.arvados.events.checkpoint.ResumePosition;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzz tests of what the starter reads from outside: a WebSocket message, a page of the logs list,
 * a stored checkpoint. For every input only the decoder's own exception comes out ({@link MalformedMessageException},
 * or {@link IllegalArgumentException} for a checkpoint) or an item skipped and counted; no {@link Error}; the memory
 * taken stays within a bound of the input's length; and no id is accepted that the input does not hold as a number.
 * <p>
 * {@code mvn verify} runs each target over its corpus only, in {@code src/test/resources/.../DecoderFuzzTestsInputs/
 * <method>/} (real messages, hostile inputs, and what past runs found). To fuzz one target for real (one per run),
 * for {@code fuzz.seconds} (600 by default; the profile {@code fuzz} in the module's pom sets Jazzer up):
 * <pre>
 * nice -n 10 mvn -B -pl event-spring-boot-autoconfigure test -Pfuzz -DskipNettyClientTests \
 *     -Dtest='DecoderFuzzTests#webSocketMessage' -Dfuzz.seconds=600
 * </pre>
 * A finding is written to the target's inputs folder as {@code crash-<sha1>}, where the next {@code mvn verify}
 * replays it; the corpus a run grows stays in {@code .cifuzz-corpus/}, out of git.
 */
class DecoderFuzzTests {

	private static final EventDecoder decoder = new EventDecoder();

	private static final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory
		.getThreadMXBean();

	private static final boolean FUZZING = System.getenv("JAZZER_FUZZ") != null
			|| System.getProperty("JAZZER_FUZZ") != null;

	@FuzzTest(maxDuration = "10m")
	void webSocketMessage(byte[] input) {
		String json = new String(input, StandardCharsets.UTF_8);
		assertBounded(json.length(), () -> {
			if (decoder.decode(json) instanceof ServerMessage.Event received) {
				received.event().properties().size();
			}
		});
		assertScannedAsJacksonReads(json);
		ServerMessage message;
		try {
			message = decoder.decode(json);
		}
		catch (MalformedMessageException ex) {
			return;
		}
		if (message instanceof ServerMessage.Event received) {
			ArvadosEvent event = received.event();
			assertHeld(event.id(), json);
			assertThat(event.json()).isEqualTo(json);
			readLazily(event);
		}
	}

	@FuzzTest(maxDuration = "10m")
	void listPage(byte[] input) {
		// Read without building the items' values.
		assertBounded(input.length, () -> decoder.decodeList(input));
		LogPage page;
		try {
			page = decoder.decodeList(input);
		}
		catch (MalformedMessageException ex) {
			return;
		}
		assertThat(page.malformed()).isBetween(0, page.size());
		assertThat(page.skippedIds()).hasSizeLessThanOrEqualTo(page.malformed());
		// Byte for byte: an id's digits are ASCII whatever else the body holds.
		String text = new String(input, StandardCharsets.ISO_8859_1);
		for (ArvadosEvent event : page.events()) {
			assertHeld(event.id(), text);
		}
		for (long id : page.skippedIds()) {
			assertHeld(id, text);
		}
		for (ArvadosEvent event : page.events()) {
			readLazily(event);
		}
	}

	@FuzzTest(maxDuration = "10m")
	void checkpoint(byte[] input) {
		String json = new String(input, StandardCharsets.UTF_8);
		assertBounded(json.length(), () -> Checkpoint.parse(json));
		Checkpoint checkpoint;
		try {
			checkpoint = Checkpoint.parse(json);
		}
		catch (IllegalArgumentException ex) {
			return;
		}
		assertThat(holdsNumber(json, checkpoint.highestId()))
			.as("highest id %d is a number in %s", checkpoint.highestId(), json)
			.isTrue();
		for (ResumePosition.Range gap : checkpoint.gaps()) {
			assertThat(holdsNumber(json, gap.from()) && holdsNumber(json, gap.to()))
				.as("gap %s is in %s", gap, json)
				.isTrue();
		}
		assertThat(Checkpoint.parse(checkpoint.toJson())).isEqualTo(checkpoint);
	}

	// The fast reading of a message's header takes nothing Jackson refuses, and reads what it takes as Jackson does.
	private static void assertScannedAsJacksonReads(String json) {
		byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
		EventHeader scanned = HeaderScanner.read(utf8);
		if (scanned != null) {
			EventHeader read = decoder.readHeader(json, utf8);
			assertThat(List.of(scanned.fields, String.valueOf(scanned.id), String.valueOf(scanned.status), scanned.uuid,
					scanned.objectUuid, scanned.objectOwnerUuid, scanned.objectKind, scanned.eventType, scanned.eventAt,
					scanned.propertiesStart, scanned.propertiesEnd))
				.isEqualTo(List.of(read.fields, String.valueOf(read.id), String.valueOf(read.status), read.uuid,
						read.objectUuid, read.objectOwnerUuid, read.objectKind, read.eventType, read.eventAt,
						read.propertiesStart, read.propertiesEnd));
		}
	}

	// What a handler may touch; the properties are decoded here, and may fail only as malformed.
	private static void readLazily(ArvadosEvent event) {
		try {
			Map<String, Object> properties = event.properties();
			for (Map.Entry<String, Object> entry : properties.entrySet()) {
				assertThat(entry.getKey()).isNotNull();
			}
			assertThat(properties.containsKey("text")).isEqualTo(properties.keySet().contains("text"));
			event.newAttributes().size();
			event.oldAttributes().size();
			event.eventAt();
			assertThat(event.toString()).doesNotContain("\n");
		}
		catch (MalformedMessageException ex) {
			// A value over Jackson's limits, or a list item with bytes that are not UTF-8 (an overlong form, a code
			// point past U+10FFFF) that Jackson let by: its text, made a String, no longer has the properties where
			// the parser found them. The handler's error, said in the decoder's words.
		}
	}

	// The text as a String, its UTF-8 and the parsers' buffers, an exception's excerpt and, for a message, the maps
	// of its properties: a list of empty objects takes ~30 bytes of maps per 3 bytes of "{},". 1 MiB for the fixed
	// costs (a parser's buffers, what Jazzer's hooks take on this thread). A first run that loads a class (Jazzer
	// instruments it on this thread) can take megabytes that are no cost of the input: over the bound, the call is
	// measured again. While fuzzing, Jazzer's coverage instrumentation allocates a table of cases at every switch the
	// parser runs, ~250 bytes per input byte on its own (1.66 MB for a 6 KB message that takes 35 KB without it): the
	// bound is then 8 times looser. The tight one holds in every test run over the corpus, where Jazzer only hooks.
	private static void assertBounded(int length, Runnable call) {
		long bound = (FUZZING ? 512L : 64L) * length + (1 << 20);
		long allocated = allocated(call);
		if (allocated >= bound) {
			allocated = allocated(call);
		}
		assertThat(allocated).as("bytes allocated for an input of %d", length).isLessThan(bound);
	}

	private static long allocated(Runnable call) {
		long before = threads.getCurrentThreadAllocatedBytes();
		try {
			call.run();
		}
		catch (MalformedMessageException | IllegalArgumentException ex) {
			// What each target lets out; anything else fails the input where it is checked.
		}
		return threads.getCurrentThreadAllocatedBytes() - before;
	}

	private static void assertHeld(long id, String text) {
		assertThat(id).isPositive();
		assertThat(holdsNumber(text, id)).as("id %d is a number in the input", id).isTrue();
	}

	// Whether the text has this integer as a whole number, not part of a longer one or of a fraction. JSON has one
	// other way to write a whole number that Jackson reads: -0 for 0 (no leading zeros, no plus sign).
	static boolean holdsNumber(String text, long value) {
		return holdsLiteral(text, Long.toString(value)) || (value == 0 && holdsLiteral(text, "-0"));
	}

	private static boolean holdsLiteral(String text, String number) {
		for (int at = text.indexOf(number); at >= 0; at = text.indexOf(number, at + 1)) {
			int end = at + number.length();
			boolean alone = (at == 0 || "0123456789.+-eE".indexOf(text.charAt(at - 1)) < 0)
					&& (end == text.length() || "0123456789.eE".indexOf(text.charAt(end)) < 0);
			if (alone) {
				return true;
			}
		}
		return false;
	}

}

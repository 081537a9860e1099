package org.arvados.events.sample.live;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** An open {@code /stream}, its lines read as they come on a thread of its own. */
final class EventStream {

	final HttpResponse<InputStream> response;

	private final List<String> lines = new CopyOnWriteArrayList<>();

	private EventStream(HttpResponse<InputStream> response) {
		this.response = response;
		Thread reader = new Thread(this::read, "stream-reader");
		reader.setDaemon(true);
		reader.start();
	}

	/** Ask for {@code /stream} on loopback, as a browser's {@code EventSource} does; the answer may be a refusal. */
	static HttpResponse<InputStream> request(int port) throws IOException, InterruptedException {
		HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/stream"))
			.header("Accept", "text/event-stream")
			.build();
		return client.send(request, HttpResponse.BodyHandlers.ofInputStream());
	}

	/** Open {@code /stream} on loopback; it must be accepted. */
	static EventStream open(int port) throws IOException, InterruptedException {
		HttpResponse<InputStream> response = request(port);
		assertThat(response.statusCode()).as("status of GET /stream").isEqualTo(200);
		return new EventStream(response);
	}

	private void read() {
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(this.response.body(), StandardCharsets.UTF_8))) {
			for (String line = reader.readLine(); line != null; line = reader.readLine()) {
				this.lines.add(line);
			}
		}
		catch (IOException | UncheckedIOException ex) {
			// Closed by the test.
		}
	}

	/** Whether a message of this name arrived whose data contains each of the parts. */
	boolean has(String name, String... parts) {
		List<String> seen = List.copyOf(this.lines);
		for (int i = 0; i + 1 < seen.size(); i++) {
			if (seen.get(i).equals("event:" + name) && seen.get(i + 1).startsWith("data:")
					&& Arrays.stream(parts).allMatch(seen.get(i + 1)::contains)) {
				return true;
			}
		}
		return false;
	}

	/** The names of the messages that arrived, in order. */
	List<String> names() {
		return this.lines.stream()
			.filter((line) -> line.startsWith("event:"))
			.map((line) -> line.substring("event:".length()))
			.toList();
	}

	/** The data of the first message of this name, if one arrived. */
	Optional<String> data(String name) {
		return all(name).stream().findFirst();
	}

	/** The data of every message of this name that arrived, in order. */
	List<String> all(String name) {
		List<String> seen = List.copyOf(this.lines);
		List<String> data = new ArrayList<>();
		for (int i = 0; i + 1 < seen.size(); i++) {
			if (seen.get(i).equals("event:" + name) && seen.get(i + 1).startsWith("data:")) {
				data.add(seen.get(i + 1).substring("data:".length()));
			}
		}
		return data;
	}

	void close() {
		try {
			this.response.body().close();
		}
		catch (IOException ex) {
			// Gone already.
		}
	}

}

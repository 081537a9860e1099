package org.arvados.events.decode;

import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.Collections;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectReader;

/**
 * An event's {@code properties}, decoded into maps on first use. Building maps of every event's old and new
 * attributes was half the socket reader's time, and most handlers read only the id, kind and UUID. The message's
 * syntax was checked whole when it arrived, so decoding here fails only on a value over Jackson's limits (a string
 * over 100 million characters in Jackson 3), which is then the handler's error. Safe to read from any thread: the
 * decoded map is immutable, and two threads that race decode the same one.
 */
final class LazyProperties extends AbstractMap<String, Object> {

	private final ObjectReader reader;

	private final String json;

	/**
	 * The message's UTF-8 when the decoder kept it (a small WebSocket message), let go of once decoded; else the
	 * bytes are made again from the text.
	 */
	private byte @Nullable [] utf8;

	private final int start;

	private final int end;

	private volatile @Nullable Map<String, Object> decoded;

	/**
	 * @param reader reads a JSON object into a map
	 * @param json the whole message
	 * @param utf8 the message's UTF-8, kept to decode from, or {@code null} to make it again when needed
	 * @param start the byte offset of the properties object in the message's UTF-8
	 * @param end the byte offset just past it
	 */
	LazyProperties(ObjectReader reader, String json, byte @Nullable [] utf8, int start, int end) {
		this.reader = reader;
		this.json = json;
		this.utf8 = utf8;
		this.start = start;
		this.end = end;
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> decoded() {
		Map<String, Object> map = this.decoded;
		if (map == null) {
			byte[] bytes = this.utf8;
			if (bytes == null) {
				bytes = this.json.getBytes(StandardCharsets.UTF_8);
			}
			try {
				map = Collections.unmodifiableMap((Map<String, Object>) this.reader.readValue(bytes, this.start,
						this.end - this.start));
			}
			catch (JacksonException ex) {
				throw new MalformedMessageException("The event's properties cannot be decoded", this.json, ex);
			}
			this.decoded = map;
			this.utf8 = null;
		}
		return map;
	}

	@Override
	public @Nullable Object get(@Nullable Object key) {
		return decoded().get(key);
	}

	@Override
	public boolean containsKey(@Nullable Object key) {
		return decoded().containsKey(key);
	}

	@Override
	public int size() {
		return decoded().size();
	}

	@Override
	public Set<Entry<String, Object>> entrySet() {
		return decoded().entrySet();
	}

}

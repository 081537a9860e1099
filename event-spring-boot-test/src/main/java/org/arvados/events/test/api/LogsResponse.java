package org.arvados.events.test.api;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.arvados.events.test.LogEntry;
import org.arvados.events.test.format.Timestamps;
import org.arvados.events.test.store.LogStore;
import org.arvados.events.test.store.Uuids;

/**
 * The {@code arvados#logList} envelope and its items in the REST shape ({@code log.rb}'s API
 * template): full, untrimmed properties and nine-digit times, unlike WebSocket events.
 */
final class LogsResponse {

	private LogsResponse() {
	}

	/**
	 * Applies {@code query} to the committed rows and builds the envelope. Like PostgreSQL with its index on
	 * {@code id}, it scans only the range of ids the filters allow, does not sort what is in id order already, and
	 * without {@code count=exact} stops at the limit: a client paging through a long log costs each page, not
	 * the whole table.
	 */
	static Map<String, Object> list(LogStore store, LogsQuery query) {
		Collection<LogEntry> rows = (query.idAfter() > Long.MIN_VALUE) ? store.after(query.idAfter())
				: store.inIdOrder();
		Stream<LogEntry> candidates = rows.stream()
			.takeWhile((row) -> row.id() <= query.idAtMost())
			.filter(query.filter());
		if (!query.idAscending()) {
			candidates = candidates.sorted(query.order());
		}
		List<LogEntry> matching = query.countExact() ? candidates.toList() : List.of();
		List<Map<String, Object>> items = (query.countExact() ? matching.stream() : candidates)
			.skip(query.offset())
			.limit(query.limit())
			.map(LogsResponse::item)
			.toList();
		Map<String, Object> envelope = new LinkedHashMap<>();
		envelope.put("kind", "arvados#logList");
		envelope.put("etag", "");
		envelope.put("self_link", "");
		envelope.put("offset", query.offset());
		envelope.put("limit", query.limit());
		envelope.put("items", items);
		if (query.countExact()) {
			envelope.put("items_available", matching.size());
		}
		return envelope;
	}

	static Map<String, Object> item(LogEntry entry) {
		String createdAt = Timestamps.rails(entry.createdAt());
		Map<String, Object> item = new LinkedHashMap<>();
		item.put("kind", "arvados#log");
		item.put("etag", etag(entry.uuid() + createdAt));
		item.put("uuid", entry.uuid());
		item.put("owner_uuid", Uuids.SYSTEM_USER);
		item.put("created_at", createdAt);
		item.put("modified_by_user_uuid", Uuids.SYSTEM_USER);
		item.put("modified_at", createdAt);
		item.put("id", entry.id());
		item.put("object_uuid", entry.objectUuid());
		item.put("object_owner_uuid", entry.objectOwnerUuid());
		item.put("object_kind", entry.objectKind());
		item.put("event_at", Timestamps.rails(entry.eventAt()));
		item.put("event_type", entry.eventType());
		item.put("summary", entry.eventType() + " of " + entry.objectUuid());
		item.put("properties", entry.properties());
		return item;
	}

	/** Arvados' etag form: an MD5 digest in base 36. */
	private static String etag(String text) {
		try {
			byte[] digest = MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8));
			return new BigInteger(1, digest).toString(36);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("MD5 is a required JDK algorithm", ex);
		}
	}

}

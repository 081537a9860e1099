package org.arvados.events.test.store;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Arvados object identifiers: {@code <cluster>-<type infix>-<15 chars>}, whose infix names the
 * object's kind; the WebSocket server derives {@code object_kind} from it, never from the row.
 */
public final class Uuids {

	/** The fake cluster's id, the one the Arvados test fixtures use. */
	public static final String CLUSTER_ID = "zzzzz";

	/** The {@code active} user of the Arvados fixtures, owner of emitted objects by default. */
	public static final String DEFAULT_OWNER = "zzzzz-tpzed-xurymjxw79nv3jz";

	/** The system user, which owns and modifies log rows on a real cluster. */
	public static final String SYSTEM_USER = "zzzzz-tpzed-000000000000000";

	private static final Map<String, String> KINDS = Map.of(
			"4zz18", "arvados#collection",
			"xvhdp", "arvados#containerRequest",
			"dz642", "arvados#container",
			"tpzed", "arvados#user",
			"j7d0g", "arvados#group",
			"57u5n", "arvados#log",
			"o0j2j", "arvados#link",
			"7fd4e", "arvados#workflow");

	private static final Pattern UUID = Pattern.compile("[a-z0-9]{5}-([a-z0-9]{5})-[a-z0-9]{15}");

	/** A portable data hash: collections are also addressed by content. */
	private static final Pattern PDH = Pattern.compile("[0-9a-f]{32}\\+\\d+(\\+\\S+)?");

	private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

	private Uuids() {
	}

	/** A fresh identifier {@code zzzzz-<infix>-<15 random [a-z0-9]>}. */
	public static String random(String infix) {
		StringBuilder uuid = new StringBuilder(27).append(CLUSTER_ID).append('-').append(infix).append('-');
		ThreadLocalRandom random = ThreadLocalRandom.current();  // identifiers, not secrets
		for (int i = 0; i < 15; i++) {
			uuid.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
		}
		return uuid.toString();
	}

	/** The kind arvados-ws would report, or {@code ""} for an unknown infix, as Go does. */
	public static String kindOf(String uuid) {
		if (PDH.matcher(uuid).matches()) {
			return "arvados#collection";
		}
		var matcher = UUID.matcher(uuid);
		return matcher.matches() ? KINDS.getOrDefault(matcher.group(1), "") : "";
	}

}

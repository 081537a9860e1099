package org.arvados.events.checkpoint;

import java.nio.file.Path;

/**
 * Run in a JVM of its own by {@link FileEventCheckpointStoreTests}: opens a {@link FileEventCheckpointStore} on the
 * file named by the first argument, prints what it loaded, or that it was refused, and exits.
 */
public final class FileStoreLockProbe {

	static final int REFUSED = 3;

	private FileStoreLockProbe() {
	}

	public static void main(String[] args) {
		FileEventCheckpointStore store;
		try {
			store = new FileEventCheckpointStore(Path.of(args[0]));
		}
		catch (IllegalStateException ex) {
			System.out.println("REFUSED " + ex.getMessage());
			System.exit(REFUSED);
			return;
		}
		try (store) {
			System.out.println("LOADED " + store.load().map(Checkpoint::toJson).orElse("nothing"));
		}
	}

}

package org.arvados.events.worker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

/**
 * Sends a POSIX signal to a process by its id, through {@code kill}: {@code STOP} freezes it as a long GC or a VM
 * migration would, {@code CONT} wakes it. The JDK sends only TERM and KILL itself.
 */
final class Signals {

	private Signals() {
	}

	/**
	 * Send a signal.
	 * @param pid the process
	 * @param signal its name without {@code SIG}, e.g. {@code STOP}
	 */
	static void send(long pid, String signal) {
		try {
			Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
			if (!kill.waitFor(10, TimeUnit.SECONDS)) {
				kill.destroyForcibly();
				throw new IllegalStateException("kill -" + signal + " " + pid + " did not return");
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}

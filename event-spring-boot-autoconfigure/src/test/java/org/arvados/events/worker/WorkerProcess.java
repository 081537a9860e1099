package org.arvados.events.worker;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A worker application in a JVM of its own, on the test's class path, its output in a file: started, read, killed
 * (SIGKILL, as a crash) or stopped (SIGTERM, as a deploy).
 */
final class WorkerProcess implements AutoCloseable {

	private static final Pattern HANDLED = Pattern.compile("^handled (\\d+)$");

	private final Process process;

	private final Path output;

	private WorkerProcess(Process process, Path output) {
		this.process = process;
		this.output = output;
	}

	/**
	 * Start a worker.
	 * @param main its main class
	 * @param output where its output goes
	 * @param args its arguments
	 * @return the running worker
	 */
	static WorkerProcess start(Class<?> main, Path output, String... args) {
		return start(List.of(), main, output, args);
	}

	/**
	 * Start a worker whose JVM compiles with C1 only ({@code -XX:TieredStopAtLevel=1}): it starts in about two
	 * thirds of the time on two cores, where the start of its JVM and context is nearly all of a restart test's
	 * time. For tests that handle a few dozen events, which C2 would not have compiled yet anyway; the chaos test
	 * keeps the JVM's defaults.
	 * @param main its main class
	 * @param output where its output goes
	 * @param args its arguments
	 * @return the running worker
	 */
	static WorkerProcess startQuickly(Class<?> main, Path output, String... args) {
		return start(List.of("-XX:TieredStopAtLevel=1"), main, output, args);
	}

	private static WorkerProcess start(List<String> jvmOptions, Class<?> main, Path output, String... args) {
		List<String> command = new ArrayList<>(List.of(
				System.getProperty("java.home") + File.separator + "bin" + File.separator + "java", "-Xmx256m"));
		command.addAll(jvmOptions);
		command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName(),
				"--spring.main.banner-mode=off"));
		command.addAll(List.of(args));
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(output.toFile())
				.start();
			return new WorkerProcess(process, output);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Every line it printed so far. */
	List<String> lines() {
		try {
			return Files.readAllLines(this.output, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Whether a line so far contains the text. */
	boolean printed(String text) {
		return lines().stream().anyMatch((line) -> line.contains(text));
	}

	/** The ids it handled so far, in order, repeats included. */
	List<Long> handled() {
		List<Long> ids = new ArrayList<>();
		for (String line : lines()) {
			Matcher matcher = HANDLED.matcher(line);
			if (matcher.matches()) {
				ids.add(Long.parseLong(matcher.group(1)));
			}
		}
		return ids;
	}

	/** Its process id: for signals the JDK does not send (STOP, CONT). */
	long pid() {
		return this.process.pid();
	}

	boolean isAlive() {
		return this.process.isAlive();
	}

	/** SIGKILL: no drain, no final save, no lock released. */
	void kill() throws InterruptedException {
		this.process.destroyForcibly();
		this.process.waitFor(30, TimeUnit.SECONDS);
	}

	/**
	 * SIGTERM: the shutdown hook stops the application.
	 * @return whether it exited within 30 s
	 */
	boolean terminate() throws InterruptedException {
		this.process.destroy();
		return this.process.waitFor(30, TimeUnit.SECONDS);
	}

	@Override
	public void close() {
		this.process.destroyForcibly();
	}

}

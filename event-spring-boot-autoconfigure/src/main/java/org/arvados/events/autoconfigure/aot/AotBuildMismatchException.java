package org.arvados.events.autoconfigure.aot;

import java.util.List;
import java.util.stream.Collectors;

/**
 * An application built ahead of time is started with a property that would choose other beans than the build
 * chose: the beans cannot change any more, so it does not start rather than ignore the property.
 */
public class AotBuildMismatchException extends IllegalStateException {

	private final List<Difference> differences;

	AotBuildMismatchException(List<Difference> differences) {
		super("Started with AOT-processed code, but " + describe(differences)
				+ "; the beans these choose were chosen when the application was built");
		this.differences = List.copyOf(differences);
	}

	/**
	 * The properties that choose differently now, with what the build chose.
	 */
	public List<Difference> getDifferences() {
		return this.differences;
	}

	static String describe(List<Difference> differences) {
		return differences.stream()
			.map((difference) -> difference.property() + " is " + difference.atRunTime() + " (the build had it "
					+ difference.atBuildTime() + ")")
			.collect(Collectors.joining(", "));
	}

	/**
	 * One property that chooses differently at run time than at build time.
	 * @param property its name
	 * @param atBuildTime what it chose at build time
	 * @param atRunTime what it would choose now
	 */
	public record Difference(String property, String atBuildTime, String atRunTime) {
	}

}

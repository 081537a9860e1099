package org.arvados.events.autoconfigure.aot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * The {@code arvados.events} properties that choose beans through a condition, and what each chose: an AOT build
 * evaluates those conditions once, at build time, so a value given only at run time changes nothing. Each choice is
 * read as its condition reads the property (a file set or not, the store {@code jdbc} or not, ...), so that a
 * different value that chooses the same beans (another checkpoint file) is no difference.
 * <p>
 * Properties that are only bound ({@code dispatch}, {@code queue-capacity}, the file's path, ...) are read at run
 * time under AOT as without it, and are not listed here.
 */
public final class BeanSelectingProperties {

	private static final Map<String, Function<@Nullable String, String>> CHOICES = new LinkedHashMap<>();

	static {
		CHOICES.put("arvados.events.enabled", (value) -> bool(value, true));
		CHOICES.put("arvados.events.checkpoint.file", (value) -> StringUtils.hasText(value) ? "set" : "not set");
		CHOICES.put("arvados.events.checkpoint.store",
				(value) -> "jdbc".equalsIgnoreCase(value) ? "jdbc" : "not jdbc");
		CHOICES.put("arvados.events.leader-election.enabled", (value) -> bool(value, false));
		CHOICES.put("arvados.events.leader-election.initiator",
				(value) -> (value == null || "lock-registry".equalsIgnoreCase(value)) ? "lock-registry"
						: value.toLowerCase(Locale.ROOT));
		CHOICES.put("arvados.events.websocket.client",
				(value) -> (value == null) ? "tomcat" : value.toLowerCase(Locale.ROOT));
		// The dead-letter store and its table's initializer.
		CHOICES.put("arvados.events.handler-retry.exhausted",
				(value) -> "dead-letter".equalsIgnoreCase((value != null) ? value.trim() : null) ? "dead-letter"
						: "not dead-letter");
		CHOICES.put("arvados.events.dead-letter.jdbc.initialize-schema",
				(value) -> "never".equalsIgnoreCase((value != null) ? value.trim() : null) ? "never" : "not never");
		// The Kafka publisher's (module event-spring-boot-kafka), chosen by these two.
		CHOICES.put("arvados.events.kafka.topic", (value) -> StringUtils.hasText(value) ? "set" : "not set");
		CHOICES.put("arvados.events.kafka.enabled", (value) -> bool(value, true));
	}

	private BeanSelectingProperties() {
	}

	/**
	 * What each bean-selecting property chooses in an environment.
	 * @param environment the environment
	 * @return each property's name and its choice, in a fixed order
	 */
	public static Map<String, String> choices(Environment environment) {
		Map<String, String> choices = new LinkedHashMap<>();
		CHOICES.forEach((name, choice) -> choices.put(name, choice.apply(read(environment, name))));
		return choices;
	}

	/**
	 * Check that an environment makes the choices a build made.
	 * @param environment the environment at run time
	 * @param built what each property chose at build time
	 * @throws AotBuildMismatchException if any property chooses differently now
	 */
	public static void check(Environment environment, Map<String, String> built) {
		Map<String, String> now = choices(environment);
		List<AotBuildMismatchException.Difference> differences = new ArrayList<>();
		built.forEach((name, atBuild) -> {
			String atRun = now.get(name);
			if (atRun != null && !atRun.equals(atBuild)) {
				differences.add(new AotBuildMismatchException.Difference(name, atBuild, atRun));
			}
		});
		if (!differences.isEmpty()) {
			throw new AotBuildMismatchException(differences);
		}
	}

	// An unresolvable placeholder counts as set, as the conditions count it.
	private static @Nullable String read(Environment environment, String name) {
		try {
			return environment.getProperty(name);
		}
		catch (IllegalArgumentException ex) {
			return "${unresolvable}";
		}
	}

	private static String bool(@Nullable String value, boolean missing) {
		return Boolean.toString((value != null) ? Boolean.parseBoolean(value.trim()) : missing);
	}

}

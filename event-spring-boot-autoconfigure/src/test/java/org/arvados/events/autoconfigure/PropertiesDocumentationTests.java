package org.arvados.events.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's property table and the generated configuration metadata (what the IDE shows) say the same.
 */
class PropertiesDocumentationTests {

	private static final String PREFIX = "arvados.events.";

	private static final Pattern ROW = Pattern.compile("^\\| `([a-z.-]+)` \\| ([^|]*) \\|", Pattern.MULTILINE);

	@Test
	void everyPropertyIsDocumentedInTheReadmeWithItsDefault() throws IOException {
		Map<String, String> readme = readmeTable();
		int checked = 0;
		int documented = 0;
		for (JsonNode property : metadata().get("properties")) {
			String fullName = property.get("name").asString();
			if (!fullName.startsWith(PREFIX)) {
				continue;
			}
			String name = fullName.substring(PREFIX.length());
			assertThat(property.get("description")).as("Javadoc of %s", name).isNotNull();
			assertThat(readme).as("README row for %s", name).containsKey(name);
			documented++;
			JsonNode defaultValue = property.get("defaultValue");
			if (defaultValue != null) {
				assertThat(normalize(readme.get(name))).as("README default of %s", name)
					.isEqualTo(normalize(defaultValue.asString()));
				checked++;
			}
		}
		assertThat(checked).isGreaterThanOrEqualTo(19);
		assertThat(readme).hasSize(documented);
	}

	// What the processor cannot see from a field initializer, the additional metadata says.
	@Test
	void defaultsThatAreNotInTheFieldsAreInTheMetadata() throws IOException {
		Map<String, JsonNode> properties = properties();
		assertThat(properties.get("arvados.events.transport").get("defaultValue").asString()).isEqualTo("auto");
		assertThat(properties.get("arvados.events.start-from").get("defaultValue").asString()).isEqualTo("latest");
		assertThat(properties.get("arvados.events.insecure").get("defaultValue").asBoolean(true)).isFalse();
	}

	@Test
	void theHealthSwitchIsDeclared() throws IOException {
		JsonNode health = properties().get("management.health.arvados-events.enabled");
		assertThat(health).isNotNull();
		assertThat(health.get("type").asString()).isEqualTo("java.lang.Boolean");
		assertThat(health.get("defaultValue").asBoolean(false)).isTrue();
		assertThat(health.get("description")).isNotNull();
		assertThat(Files.readString(Path.of("../README.md"))).contains("`management.health.arvados-events.enabled`");
	}

	@Test
	void everyKeywordValueHasAHint() throws IOException, ClassNotFoundException {
		Map<String, List<String>> hints = new LinkedHashMap<>();
		for (JsonNode hint : metadata().get("hints")) {
			List<String> values = new ArrayList<>();
			hint.get("values").forEach((value) -> {
				assertThat(value.get("description")).as("description of %s", value).isNotNull();
				values.add(value.get("value").asString());
			});
			hints.put(hint.get("name").asString(), values);
		}
		int enums = 0;
		for (JsonNode property : metadata().get("properties")) {
			String type = property.path("type").asString("");
			if (type.startsWith("org.arvados.") && Class.forName(type).isEnum()) {
				List<String> constants = Arrays.stream(Class.forName(type).getEnumConstants())
					// As documented: lower case, words joined by '-' (Boot binds LOCK_REGISTRY from lock-registry).
					.map((constant) -> constant.toString().toLowerCase(Locale.ROOT).replace('_', '-'))
					.toList();
				assertThat(hints.get(property.get("name").asString())).as("hints of %s", property.get("name"))
					.containsExactlyInAnyOrderElementsOf(constants);
				enums++;
			}
		}
		assertThat(enums).isPositive();
		assertThat(hints.get("arvados.events.start-from")).containsExactly("latest", "checkpoint", "1h");
	}

	private static Map<String, JsonNode> properties() throws IOException {
		Map<String, JsonNode> properties = new LinkedHashMap<>();
		metadata().get("properties").forEach((property) -> properties.put(property.get("name").asString(), property));
		return properties;
	}

	private static Map<String, String> readmeTable() throws IOException {
		String text = Files.readString(Path.of("../README.md"));
		String table = text.substring(text.indexOf("## Properties"), text.indexOf("## ", text.indexOf("## Properties") + 3));
		Map<String, String> rows = new LinkedHashMap<>();
		Matcher matcher = ROW.matcher(table);
		while (matcher.find()) {
			rows.put(matcher.group(1), matcher.group(2).replace("`", "").trim());
		}
		return rows;
	}

	// Other modules and processed test sources have metadata files of their own: take the one for arvados.events.
	private static JsonNode metadata() throws IOException {
		Enumeration<URL> files = PropertiesDocumentationTests.class.getClassLoader()
			.getResources("META-INF/spring-configuration-metadata.json");
		while (files.hasMoreElements()) {
			try (InputStream in = files.nextElement().openStream()) {
				JsonNode metadata = JsonMapper.shared().readTree(in);
				for (JsonNode group : metadata.path("groups")) {
					if (group.path("name").asString("").equals("arvados.events")) {
						return metadata;
					}
				}
			}
		}
		throw new AssertionError("No configuration metadata for arvados.events");
	}

	// "2" and "2.0" are the same multiplier; a README default may explain itself in parentheses after the value.
	private static String normalize(String value) {
		String plain = value.replaceFirst("\\s*\\(.*\\)$", "");
		return plain.matches("\\d+\\.0") ? plain.substring(0, plain.length() - 2) : plain.toLowerCase(Locale.ROOT);
	}

}

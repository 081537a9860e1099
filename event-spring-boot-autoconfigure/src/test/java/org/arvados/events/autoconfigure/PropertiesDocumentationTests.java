package org.arvados.events.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
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

	private static final Pattern ROW = Pattern.compile("^\\| `([a-z.-]+)` \\| ([^|]*) \\|", Pattern.MULTILINE);

	@Test
	void everyPropertyIsDocumentedInTheReadmeWithItsDefault() throws IOException {
		Map<String, String> readme = readmeTable();
		JsonNode metadata = metadata();
		int checked = 0;
		for (JsonNode property : metadata.get("properties")) {
			String name = property.get("name").asString().substring("arvados.events.".length());
			assertThat(property.get("description")).as("Javadoc of %s", name).isNotNull();
			assertThat(readme).as("README row for %s", name).containsKey(name);
			JsonNode defaultValue = property.get("defaultValue");
			if (defaultValue != null) {
				assertThat(normalize(readme.get(name))).as("README default of %s", name)
					.isEqualTo(normalize(defaultValue.asString()));
				checked++;
			}
		}
		assertThat(checked).isGreaterThan(10);
		assertThat(readme).hasSameSizeAs(metadata.get("properties"));
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

	private static JsonNode metadata() throws IOException {
		try (InputStream in = PropertiesDocumentationTests.class
			.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			return JsonMapper.shared().readTree(in);
		}
	}

	// "2" and "2.0" are the same multiplier.
	private static String normalize(String value) {
		return value.matches("\\d+\\.0") ? value.substring(0, value.length() - 2) : value.toLowerCase();
	}

}

package org.arvados.events.autoconfigure.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The property table of {@code docs/kafka.md} and the generated configuration metadata (what the IDE shows) say the
 * same: every property, with its default.
 */
class KafkaPropertiesDocumentationTests {

	private static final String PREFIX = "arvados.events.kafka.";

	private static final Pattern ROW = Pattern.compile("^\\| `([a-z.-]+)` \\| ([^|]*) \\|", Pattern.MULTILINE);

	@Test
	void everyPropertyIsInTheDocsWithItsDefault() throws IOException {
		Map<String, String> documented = docsTable();
		int properties = 0;
		for (JsonNode property : metadata().get("properties")) {
			String name = property.get("name").asString().substring(PREFIX.length());
			assertThat(property.get("description")).as("Javadoc of %s", name).isNotNull();
			assertThat(documented).as("docs/kafka.md row for %s", name).containsKey(name);
			JsonNode defaultValue = property.get("defaultValue");
			assertThat(documented.get(name)).as("default of %s in docs/kafka.md", name)
				.isEqualTo((defaultValue != null) ? defaultValue.asString() : "none");
			properties++;
		}
		assertThat(properties).isEqualTo(5);
		assertThat(documented).hasSize(properties);
	}

	private static Map<String, String> docsTable() throws IOException {
		String text = Files.readString(Path.of("../docs/kafka.md"));
		String table = text.substring(text.indexOf("## Properties"));
		Map<String, String> rows = new LinkedHashMap<>();
		Matcher matcher = ROW.matcher(table);
		while (matcher.find()) {
			rows.put(matcher.group(1), matcher.group(2).replace("`", "").trim());
		}
		return rows;
	}

	// The starter's own metadata is on the class path too: take this module's.
	private static JsonNode metadata() throws IOException {
		Enumeration<URL> files = KafkaPropertiesDocumentationTests.class.getClassLoader()
			.getResources("META-INF/spring-configuration-metadata.json");
		while (files.hasMoreElements()) {
			try (InputStream in = files.nextElement().openStream()) {
				JsonNode metadata = JsonMapper.shared().readTree(in);
				for (JsonNode group : metadata.path("groups")) {
					if (group.path("name").asString("").equals("arvados.events.kafka")) {
						return metadata;
					}
				}
			}
		}
		throw new AssertionError("No configuration metadata for arvados.events.kafka");
	}

}

package org.arvados.events.docs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The documentation's code is code: every {@code ```java} block of the README and of {@code docs/*.md} is a region
 * of a source file in this package, between {@code // tag::name[]} and {@code // end::name[]}, so it compiles (and
 * the test-kit example runs) with the build. Lines are compared without their leading and trailing white space, so
 * the sources may indent with tabs and the Markdown with spaces. Every property a {@code ```yaml} or
 * {@code ```properties} block sets is one the configuration metadata on this class path knows.
 */
class ReadmeSnippetsTests {

	// Surefire runs in the module's folder.
	private static final Path ROOT = Path.of("..");

	private static final Path SOURCES = Path.of("src/test/java/org/arvados/events/docs");

	private static final Pattern TAG = Pattern.compile("^\\s*// (tag|end)::([A-Za-z0-9_-]+)\\[\\]\\s*$");

	private static final Pattern FENCE = Pattern.compile("^\\s*```\\s*([A-Za-z]*)\\s*$");

	@Test
	void everyJavaBlockIsATaggedRegionOfCompiledCode() {
		Map<String, Region> regions = regions();
		List<String> problems = new ArrayList<>();
		for (Block block : blocks("java")) {
			if (regions.values().stream().noneMatch((region) -> region.lines().equals(block.lines()))) {
				problems.add(block.where() + " matches no tagged region under sample-app/" + SOURCES + ": "
						+ nearest(block, regions.values()));
			}
		}
		assertThat(problems).as("java blocks that are not compiled code").isEmpty();
	}

	@Test
	void everyTaggedRegionIsShown() {
		List<Block> shown = blocks("java");
		List<String> unused = new ArrayList<>();
		regions().forEach((name, region) -> {
			if (shown.stream().noneMatch((block) -> block.lines().equals(region.lines()))) {
				unused.add(name + " (" + region.file() + ")");
			}
		});
		assertThat(unused).as("tagged regions that no Markdown file shows (stale snippets)").isEmpty();
	}

	@Test
	void everyPropertyInAConfigurationBlockExists() {
		Metadata metadata = Metadata.load();
		List<String> unknown = new ArrayList<>();
		List<Block> blocks = new ArrayList<>(blocks("yaml"));
		blocks.addAll(blocks("yml"));
		blocks.addAll(blocks("properties"));
		int checked = 0;
		for (Block block : blocks) {
			for (String name : names(block)) {
				checked++;
				if (!metadata.knows(name)) {
					unknown.add(block.where() + ": " + name);
				}
			}
		}
		assertThat(unknown).as("properties that no configuration metadata on the class path declares").isEmpty();
		assertThat(checked).isGreaterThan(20);
	}

	private static List<Path> markdownFiles() {
		List<Path> files = new ArrayList<>();
		files.add(ROOT.resolve("README.md"));
		try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
			docs.filter((path) -> path.toString().endsWith(".md")).sorted().forEach(files::add);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return files;
	}

	private static List<Block> blocks(String language) {
		List<Block> blocks = new ArrayList<>();
		for (Path file : markdownFiles()) {
			List<String> lines = read(file);
			for (int i = 0; i < lines.size(); i++) {
				Matcher open = FENCE.matcher(lines.get(i));
				if (!open.matches()) {
					continue;
				}
				// Every fence opens a block (a diagram's has no language) and the next one closes it.
				int start = i;
				List<String> body = new ArrayList<>();
				for (i++; i < lines.size() && !FENCE.matcher(lines.get(i)).matches(); i++) {
					body.add(lines.get(i));
				}
				if (open.group(1).equals(language)) {
					blocks.add(new Block(ROOT.relativize(file) + ":" + (start + 1), language, normalize(body), body));
				}
			}
		}
		return blocks;
	}

	private static Map<String, Region> regions() {
		Map<String, Region> regions = new TreeMap<>();
		try (Stream<Path> sources = Files.walk(SOURCES)) {
			for (Path source : sources.filter((path) -> path.toString().endsWith(".java")).sorted().toList()) {
				Map<String, List<String>> open = new LinkedHashMap<>();
				for (String line : read(source)) {
					Matcher tag = TAG.matcher(line);
					if (tag.matches() && tag.group(1).equals("tag")) {
						assertThat(regions).as("a second region named %s, in %s", tag.group(2), source)
							.doesNotContainKey(tag.group(2));
						open.put(tag.group(2), new ArrayList<>());
					}
					else if (tag.matches()) {
						List<String> body = open.remove(tag.group(2));
						assertThat(body).as("end::%s[] without its tag, in %s", tag.group(2), source).isNotNull();
						regions.put(tag.group(2), new Region(source.getFileName().toString(), normalize(body)));
					}
					else {
						open.values().forEach((body) -> body.add(line));
					}
				}
				assertThat(open.keySet()).as("regions of %s that never end", source).isEmpty();
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		assertThat(regions).as("tagged regions under %s", SOURCES).isNotEmpty();
		return regions;
	}

	// Of the regions, the one that shares the most lines with the block, and where they part.
	private static String nearest(Block block, Iterable<Region> regions) {
		Region best = null;
		int bestShared = -1;
		for (Region region : regions) {
			Set<String> shared = new LinkedHashSet<>(region.lines());
			shared.retainAll(block.lines());
			if (shared.size() > bestShared) {
				best = region;
				bestShared = shared.size();
			}
		}
		if (best == null || bestShared == 0) {
			return "tag the code it shows in a source there";
		}
		List<String> a = block.lines();
		List<String> b = best.lines();
		int line = 0;
		while (line < a.size() && line < b.size() && a.get(line).equals(b.get(line))) {
			line++;
		}
		return "nearest is the region in " + best.file() + ", which differs at the block's line " + (line + 1)
				+ ": the block has [" + ((line < a.size()) ? a.get(line) : "(end)") + "], the source ["
				+ ((line < b.size()) ? b.get(line) : "(end)") + "]";
	}

	private static List<String> normalize(List<String> lines) {
		List<String> trimmed = new ArrayList<>(lines.stream().map(String::strip).toList());
		while (!trimmed.isEmpty() && trimmed.get(trimmed.size() - 1).isEmpty()) {
			trimmed.remove(trimmed.size() - 1);
		}
		while (!trimmed.isEmpty() && trimmed.get(0).isEmpty()) {
			trimmed.remove(0);
		}
		return trimmed;
	}

	// The full names a configuration block sets. A list is a value: its elements are not names.
	private static List<String> names(Block block) {
		List<String> names = new ArrayList<>();
		if (block.language().equals("properties")) {
			for (String line : block.raw()) {
				String text = line.strip();
				if (!text.isEmpty() && !text.startsWith("#")) {
					names.add(text.split("\\s*[=:]\\s*", 2)[0]);
				}
			}
			return names;
		}
		Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
		Object document = yaml.load(String.join("\n", block.raw()));
		assertThat(document).as("%s is a YAML map", block.where()).isInstanceOf(Map.class);
		flatten("", document, names);
		return names;
	}

	private static void flatten(String prefix, Object value, List<String> names) {
		if (value instanceof Map<?, ?> map) {
			map.forEach((key, child) -> flatten(prefix.isEmpty() ? String.valueOf(key) : prefix + "." + key, child,
					names));
		}
		else {
			names.add(prefix);
		}
	}

	private static List<String> read(Path file) {
		try {
			return Files.readAllLines(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** A fenced block: where it starts, its language, its lines normalized, and as written. */
	record Block(String where, String language, List<String> lines, List<String> raw) {
	}

	/** A tagged region of a source file, its lines normalized. */
	record Region(String file, List<String> lines) {
	}

	/** Every property the class path's configuration metadata declares: Spring Boot's modules and the starter's. */
	record Metadata(Set<String> names, Set<String> maps) {

		static Metadata load() {
			Set<String> names = new LinkedHashSet<>();
			Set<String> maps = new LinkedHashSet<>();
			try {
				Enumeration<URL> files = ReadmeSnippetsTests.class.getClassLoader()
					.getResources("META-INF/spring-configuration-metadata.json");
				while (files.hasMoreElements()) {
					try (InputStream in = files.nextElement().openStream()) {
						for (JsonNode property : JsonMapper.shared().readTree(in).path("properties")) {
							String name = property.path("name").asString();
							names.add(name);
							if (property.path("type").asString("").startsWith("java.util.Map<")) {
								maps.add(name);
							}
						}
					}
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			assertThat(names).as("the starter's own metadata").contains("arvados.events.endpoint");
			return new Metadata(names, maps);
		}

		// A map's keys are the user's (logging.level.<logger>, spring.ssl.bundle.pem.<bundle>.…).
		boolean knows(String name) {
			return this.names.contains(name)
					|| this.maps.stream().anyMatch((map) -> name.startsWith(map + "."));
		}

	}

}

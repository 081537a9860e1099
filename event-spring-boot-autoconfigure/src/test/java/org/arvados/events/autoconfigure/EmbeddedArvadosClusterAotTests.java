package org.arvados.events.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.arvados.events.test.EmbeddedArvadosCluster;
import org.junit.jupiter.api.Test;

import org.springframework.aot.generate.GeneratedFiles;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.test.context.aot.TestContextAotGenerator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code process-test-aot} does to a test class with {@link EmbeddedArvadosCluster}, done here on one: it
 * must process (the connection details were a bean definition with a {@code URI}, which code generation cannot
 * write), and the code it writes must not hold the address of the cluster started for the processing, which is
 * another at every run.
 */
class EmbeddedArvadosClusterAotTests {

	@Test
	void aTestWithTheEmbeddedClusterCanBeProcessedAheadOfTime() throws Exception {
		InMemoryGeneratedFiles files = new InMemoryGeneratedFiles();
		new TestContextAotGenerator(files, new RuntimeHints(), true)
			.processAheadOfTime(Stream.of(EmbeddedArvadosClusterConnectionDetailsTests.class));
		List<String> sources = new ArrayList<>();
		for (String path : files.getGeneratedFiles(GeneratedFiles.Kind.SOURCE).keySet()) {
			sources.add(files.getGeneratedFileContent(GeneratedFiles.Kind.SOURCE, path));
		}
		assertThat(sources).isNotEmpty();
		assertThat(String.join("\n", sources)).doesNotContain("http://127.0.0.1:")
			.doesNotContain("\"embeddedArvadosClusterConnectionDetails\"");
	}

}

package org.arvados.events.autoconfigure.kafka;

import java.util.List;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.FailureHandler;

/**
 * What Spring Boot prints under "APPLICATION FAILED TO START" for a start-up failure: the first analysis of the
 * failure analyzers on the class path (from {@code META-INF/spring.factories}, ours among them), in their order.
 */
final class FailureReports {

	private FailureReports() {
	}

	static String of(Throwable failure) {
		// Analyzers that need the bean factory or the environment cannot be made here, and are not the ones that
		// describe these failures.
		List<FailureAnalyzer> analyzers = SpringFactoriesLoader
			.forDefaultResourceLocation(FailureReports.class.getClassLoader())
			.load(FailureAnalyzer.class, FailureHandler.handleMessage((message, ex) -> {
			}));
		for (FailureAnalyzer analyzer : analyzers) {
			FailureAnalysis analysis = analyzer.analyze(failure);
			if (analysis != null) {
				return analysis.getDescription() + System.lineSeparator() + analysis.getAction();
			}
		}
		throw new AssertionError("No failure analyzer describes " + failure);
	}

}

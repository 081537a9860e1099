package org.arvados.events.autoconfigure.aot;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Says what to do when an AOT-built application is started with settings that would choose other beans.
 */
class AotBuildMismatchFailureAnalyzer extends AbstractFailureAnalyzer<AotBuildMismatchException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, AotBuildMismatchException cause) {
		return new FailureAnalysis("This application was built ahead of time (AOT), and its Arvados events beans were "
				+ "chosen then; at run time " + AotBuildMismatchException.describe(cause.getDifferences())
				+ ". Started anyway, its beans would not be what these settings say (a checkpoint file given only at "
				+ "run time would be ignored, and the position kept in memory).",
				"Set the same properties when the application is built (for spring-boot:process-aot, in its "
						+ "<jvmArguments> or <profiles>, or in application.properties), or start it without AOT "
						+ "(-Dspring.aot.enabled=false).",
				cause);
	}

}

package org.arvados.events.autoconfigure.checkpoint;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a checkpoint store that cannot be set up into what is wrong and what to do, instead of a stack trace.
 */
class CheckpointStoreSetupFailureAnalyzer extends AbstractFailureAnalyzer<CheckpointStoreSetupException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, CheckpointStoreSetupException cause) {
		return new FailureAnalysis(cause.getMessage(), cause.getAction(), cause);
	}

}

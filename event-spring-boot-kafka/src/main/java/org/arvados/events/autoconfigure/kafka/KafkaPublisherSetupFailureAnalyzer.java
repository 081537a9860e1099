package org.arvados.events.autoconfigure.kafka;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a Kafka setup the publisher cannot use into what is wrong and what to do, instead of a stack trace.
 */
class KafkaPublisherSetupFailureAnalyzer extends AbstractFailureAnalyzer<KafkaPublisherSetupException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, KafkaPublisherSetupException cause) {
		return new FailureAnalysis(cause.getMessage(), cause.getAction(), cause);
	}

}

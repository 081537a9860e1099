package org.arvados.events.autoconfigure;

import org.arvados.events.autoconfigure.MissingArvadosSettingException.Setting;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a missing endpoint or token into two lines saying what to set, instead of a stack trace.
 */
class MissingArvadosSettingFailureAnalyzer extends AbstractFailureAnalyzer<MissingArvadosSettingException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, MissingArvadosSettingException cause) {
		Setting setting = cause.getSetting();
		return new FailureAnalysis("No Arvados " + setting.description() + " is configured, so events cannot be followed.",
				"Set the property '" + setting.property() + "' or the environment variable '" + setting.variable()
						+ "' (or set arvados.events.enabled=false).",
				cause);
	}

}

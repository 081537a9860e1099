package org.arvados.events.autoconfigure;

import org.arvados.events.subscription.StartFrom;

import org.springframework.core.convert.converter.Converter;

/**
 * Reads {@code arvados.events.start-from} while the properties are bound, so that a value that is not
 * {@code latest}, {@code checkpoint} or an event id fails with Boot's binding report, which names the property,
 * the value and where it was set.
 */
class StartFromConverter implements Converter<String, StartFrom> {

	@Override
	public StartFrom convert(String source) {
		return StartFrom.parse(source);
	}

}

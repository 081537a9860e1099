package org.arvados.events.autoconfigure;

/**
 * Thrown at start-up when the cluster's endpoint or token is configured nowhere.
 */
public class MissingArvadosSettingException extends IllegalStateException {

	private final Setting setting;

	public MissingArvadosSettingException(Setting setting) {
		super("No Arvados " + setting.description + " is configured: set " + setting.property + " or the "
				+ setting.variable + " environment variable");
		this.setting = setting;
	}

	public Setting getSetting() {
		return this.setting;
	}

	/** The settings that have no default. */
	public enum Setting {

		/** The API base URL. */
		ENDPOINT("API endpoint", "arvados.events.endpoint", "ARVADOS_API_HOST"),

		/** The API token. */
		TOKEN("API token", "arvados.events.token", "ARVADOS_API_TOKEN");

		private final String description;

		private final String property;

		private final String variable;

		Setting(String description, String property, String variable) {
			this.description = description;
			this.property = property;
			this.variable = variable;
		}

		public String description() {
			return this.description;
		}

		public String property() {
			return this.property;
		}

		public String variable() {
			return this.variable;
		}

	}

}

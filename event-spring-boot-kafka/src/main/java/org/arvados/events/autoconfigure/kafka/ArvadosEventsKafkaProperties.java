package org.arvados.events.autoconfigure.kafka;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Publishing the events to a Kafka topic, for a consumer group to share the work.
 */
@ConfigurationProperties("arvados.events.kafka")
public class ArvadosEventsKafkaProperties {

	// What Kafka accepts as a topic name.
	private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

	private static final Duration MAX_DURATION = Duration.ofDays(365);

	/**
	 * Whether to publish the events to Kafka when a topic is set.
	 */
	private boolean enabled = true;

	/**
	 * Topic that receives every event the stream delivers, keyed by object_uuid; setting it turns publishing on
	 * (blank means not set). The application's KafkaTemplate says where the brokers are (spring.kafka.*).
	 */
	private @Nullable String topic;

	/**
	 * The topic dead letters go to, with handler-retry.exhausted=dead-letter: the topic followed by .DLT when not
	 * set.
	 */
	private @Nullable String deadLetterTopic;

	private final Retry retry = new Retry();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public @Nullable String getTopic() {
		return this.topic;
	}

	public void setTopic(@Nullable String topic) {
		if (topic == null || topic.isBlank()) {
			this.topic = null;
			return;
		}
		this.topic = topicName(topic);
	}

	public @Nullable String getDeadLetterTopic() {
		return this.deadLetterTopic;
	}

	public void setDeadLetterTopic(@Nullable String deadLetterTopic) {
		if (deadLetterTopic == null || deadLetterTopic.isBlank()) {
			this.deadLetterTopic = null;
			return;
		}
		this.deadLetterTopic = topicName(deadLetterTopic);
	}

	/**
	 * The dead-letter topic: {@code dead-letter-topic}, else the topic followed by {@code .DLT}.
	 * @return its name
	 */
	public String deadLetterTopic() {
		return (this.deadLetterTopic != null) ? this.deadLetterTopic : Objects.requireNonNull(this.topic) + ".DLT";
	}

	// Refused while binding, so that Boot's report names the property.
	private static String topicName(String name) {
		if (!TOPIC.matcher(name).matches() || name.equals(".") || name.equals("..")) {
			throw new IllegalArgumentException("must be a Kafka topic name: 1 to 249 letters, digits, '.', '_' or '-'");
		}
		return name;
	}

	public Retry getRetry() {
		return this.retry;
	}

	/**
	 * How a send that failed is tried again: for as long as it takes, the wait doubling from the first interval up
	 * to the longest.
	 */
	public static class Retry {

		/**
		 * Wait before the first new attempt of a send that failed.
		 */
		private Duration initialInterval = Duration.ofMillis(500);

		/**
		 * Longest wait between attempts; the wait doubles after each failure up to it.
		 */
		private Duration maxInterval = Duration.ofSeconds(30);

		public Duration getInitialInterval() {
			return this.initialInterval;
		}

		public void setInitialInterval(Duration initialInterval) {
			this.initialInterval = positive(initialInterval);
		}

		public Duration getMaxInterval() {
			return this.maxInterval;
		}

		public void setMaxInterval(Duration maxInterval) {
			this.maxInterval = positive(maxInterval);
		}

		private static Duration positive(Duration duration) {
			if (duration.isNegative() || duration.isZero() || duration.compareTo(MAX_DURATION) > 0) {
				throw new IllegalArgumentException("must be positive and at most 365 days");
			}
			return duration;
		}

	}

}

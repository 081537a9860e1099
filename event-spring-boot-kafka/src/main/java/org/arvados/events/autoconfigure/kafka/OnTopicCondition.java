package org.arvados.events.autoconfigure.kafka;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * Whether {@code arvados.events.kafka.topic} is set: {@code @ConditionalOnProperty} would take a blank value (say
 * {@code topic: ${EVENTS_TOPIC:}} with the variable unset) as set, and a blank topic means publishing off.
 */
class OnTopicCondition extends SpringBootCondition {

	static final String PROPERTY = "arvados.events.kafka.topic";

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		String topic;
		try {
			topic = context.getEnvironment().getProperty(PROPERTY);
		}
		catch (IllegalArgumentException ex) {
			// An unresolvable placeholder is set: the binding then says that it is no topic name.
			return ConditionOutcome.match(PROPERTY + " is set to an unresolvable placeholder");
		}
		return StringUtils.hasText(topic) ? ConditionOutcome.match(PROPERTY + " is set")
				: ConditionOutcome.noMatch(PROPERTY + " is not set");
	}

}

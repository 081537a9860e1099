/**
 * Auto-configuration of {@code arvados.events.kafka}: the events published to a Kafka topic.
 */
@NullMarked
package org.arvados.events.autoconfigure.kafka;

import org.jspecify.annotations.NullMarked;

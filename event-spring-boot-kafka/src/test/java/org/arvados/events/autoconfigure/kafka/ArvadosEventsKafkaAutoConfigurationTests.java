package org.arvados.events.autoconfigure.kafka;

import java.time.Duration;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.arvados.events.autoconfigure.ArvadosEventHandlerAutoConfiguration;
import org.arvados.events.kafka.KafkaEventPublisher;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.test.util.ReflectionTestUtils;
import org.springframework.util.backoff.FixedBackOff;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The publisher is there exactly when a topic is set, publishing is not turned off, and the application has one
 * {@link KafkaTemplate}; it sends on a producer of its own, idempotent and with {@code acks=all}.
 */
class ArvadosEventsKafkaAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ArvadosEventHandlerAutoConfiguration.class, KafkaAutoConfiguration.class,
				ArvadosEventsKafkaAutoConfiguration.class));

	@Test
	void aTopicAndAKafkaTemplatePublish() {
		this.runner.withPropertyValues("arvados.events.kafka.topic=arvados-events").run((context) -> {
			assertThat(context).hasSingleBean(KafkaEventPublisher.class);
			assertThat(context.getBean(KafkaEventPublisher.class).getTopic()).isEqualTo("arvados-events");
		});
	}

	@Test
	void withoutATopicNothingIsPublished() {
		this.runner.run((context) -> assertThat(context).hasNotFailed()
			.hasSingleBean(KafkaTemplate.class)
			.doesNotHaveBean(KafkaEventPublisher.class));
	}

	@Test
	void aBlankTopicIsNoTopic() {
		// As 'topic: ${EVENTS_TOPIC:}' binds with the variable unset.
		this.runner.withPropertyValues("arvados.events.kafka.topic= ")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(KafkaEventPublisher.class));
	}

	@Test
	void publishingCanBeTurnedOffWithTheTopicSet() {
		this.runner.withPropertyValues("arvados.events.kafka.topic=t", "arvados.events.kafka.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(KafkaEventPublisher.class));
	}

	@Test
	void withoutAKafkaTemplateNothingIsPublished() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ArvadosEventHandlerAutoConfiguration.class,
					ArvadosEventsKafkaAutoConfiguration.class))
			.withPropertyValues("arvados.events.kafka.topic=t")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(KafkaEventPublisher.class));
	}

	@Test
	void withoutTheEventHandlerSupportNothingIsPublished() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class, ArvadosEventsKafkaAutoConfiguration.class))
			.withPropertyValues("arvados.events.kafka.topic=t")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(KafkaEventPublisher.class));
	}

	@Test
	void withoutSpringKafkaNothingIsPublished() {
		this.runner.withClassLoader(new FilteredClassLoader(KafkaTemplate.class))
			.withPropertyValues("arvados.events.kafka.topic=t")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(KafkaEventPublisher.class));
	}

	@Test
	void twoKafkaTemplatesAndNoPrimaryPublishNothing() {
		this.runner.withUserConfiguration(TwoTemplates.class)
			.withPropertyValues("arvados.events.kafka.topic=t")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(KafkaEventPublisher.class));
	}

	@Test
	void anApplicationsOwnPublisherTakesThePlaceOfTheStartersOne() {
		this.runner.withUserConfiguration(OwnPublisher.class)
			.withPropertyValues("arvados.events.kafka.topic=t")
			.run((context) -> assertThat(context).getBean(KafkaEventPublisher.class)
				.isSameAs(context.getBean("ownPublisher")));
	}

	@Test
	void thePublishersProducerIsIdempotentWhateverTheApplicationChoseForItsOwn() {
		this.runner
			.withPropertyValues("arvados.events.kafka.topic=t", "spring.kafka.producer.acks=1",
					"spring.kafka.producer.value-serializer=" + ByteArraySerializer.class.getName(),
					"spring.kafka.producer.properties.linger.ms=50", "spring.kafka.producer.compression-type=zstd")
			.run((context) -> {
				Map<String, Object> own = context.getBean(KafkaTemplate.class)
					.getProducerFactory()
					.getConfigurationProperties();
				assertThat(own).containsEntry(ProducerConfig.ACKS_CONFIG, "1")
					.containsEntry(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
				Map<String, Object> publishers = publisherTemplate(context.getBean(KafkaEventPublisher.class))
					.getProducerFactory()
					.getConfigurationProperties();
				assertThat(publishers).containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
					.containsEntry(ProducerConfig.ACKS_CONFIG, "all")
					.containsEntry(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class)
					.containsEntry(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class)
					.containsEntry(ProducerConfig.LINGER_MS_CONFIG, 0)
					// The rest is the application's: brokers, security, compression.
					.containsEntry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd")
					.containsEntry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, own.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG));
			});
	}

	@Test
	void aTransactionIdPrefixMakesThePublisherTransactional() {
		this.runner.withPropertyValues("arvados.events.kafka.topic=t", "spring.kafka.producer.transaction-id-prefix=tx-")
			.run((context) -> assertThat(publisherTemplate(context.getBean(KafkaEventPublisher.class)).isTransactional())
				.isTrue());
		this.runner.withPropertyValues("arvados.events.kafka.topic=t")
			.run((context) -> assertThat(publisherTemplate(context.getBean(KafkaEventPublisher.class)).isTransactional())
				.isFalse());
	}

	@Test
	void aSerializerObjectThatDoesNotWriteTextStopsStartUpSayingWhatToDo() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ArvadosEventHandlerAutoConfiguration.class,
					ArvadosEventsKafkaAutoConfiguration.class))
			.withUserConfiguration(BinaryValues.class)
			.withPropertyValues("arvados.events.kafka.topic=t")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(FailureReports.of(context.getStartupFailure()))
					.contains("value serializer of its own (" + ByteArraySerializer.class.getName() + ")")
					.contains("spring.kafka.producer.value-serializer");
			});
	}

	@Test
	void aTopicNameKafkaRefusesStopsStartUpWithBootsBindingReport() {
		this.runner.withPropertyValues("arvados.events.kafka.topic=arvados events").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(FailureReports.of(context.getStartupFailure())).contains("arvados.events.kafka.topic")
				.contains("must be a Kafka topic name");
		});
	}

	@Test
	void anUnresolvedPlaceholderIsNoTopicNameEither() {
		this.runner.withPropertyValues("arvados.events.kafka.topic=${EVENTS_TOPIC_NOT_SET}")
			.run((context) -> assertThat(context).hasFailed());
	}

	@Test
	void theRetryWaitsAreBoundAndMustBePositive() {
		this.runner.withPropertyValues("arvados.events.kafka.topic=t", "arvados.events.kafka.retry.initial-interval=2s",
				"arvados.events.kafka.retry.max-interval=1m")
			.run((context) -> {
				ArvadosEventsKafkaProperties.Retry retry = context.getBean(ArvadosEventsKafkaProperties.class).getRetry();
				assertThat(retry.getInitialInterval()).isEqualTo(Duration.ofSeconds(2));
				assertThat(retry.getMaxInterval()).isEqualTo(Duration.ofMinutes(1));
			});
		this.runner.withPropertyValues("arvados.events.kafka.topic=t", "arvados.events.kafka.retry.max-interval=0s")
			.run((context) -> assertThat(context).hasFailed());
	}

	@Test
	void theDefaultsAreWhatTheDocsSay() {
		ArvadosEventsKafkaProperties properties = new ArvadosEventsKafkaProperties();
		assertThat(properties.isEnabled()).isTrue();
		assertThat(properties.getTopic()).isNull();
		assertThat(properties.getRetry().getInitialInterval()).isEqualTo(Duration.ofMillis(500));
		assertThat(properties.getRetry().getMaxInterval()).isEqualTo(Duration.ofSeconds(30));
	}

	@SuppressWarnings("unchecked")
	private static KafkaTemplate<String, String> publisherTemplate(KafkaEventPublisher publisher) {
		return (KafkaTemplate<String, String>) ReflectionTestUtils.getField(publisher, "kafka");
	}

	@Configuration(proxyBeanMethods = false)
	static class TwoTemplates {

		@Bean
		KafkaTemplate<Object, Object> one(ProducerFactory<Object, Object> factory) {
			return new KafkaTemplate<>(factory);
		}

		@Bean
		KafkaTemplate<Object, Object> two(ProducerFactory<Object, Object> factory) {
			return new KafkaTemplate<>(factory);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnPublisher {

		@Bean
		KafkaEventPublisher ownPublisher(KafkaTemplate<String, String> template) {
			return new KafkaEventPublisher(template, "own", new FixedBackOff(1));
		}

	}

	// As spring-kafka's guides make one: serializers as objects.
	@Configuration(proxyBeanMethods = false)
	static class BinaryValues {

		@Bean
		KafkaTemplate<String, byte[]> kafkaTemplate() {
			return new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(
					Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092"), new StringSerializer(),
					new ByteArraySerializer()));
		}

	}

}

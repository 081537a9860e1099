package org.arvados.events.test;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Both ways of registering {@link FakeArvadosClusterExtension}.
 */
class FakeArvadosClusterExtensionTests {

	@Nested
	@ExtendWith(FakeArvadosClusterExtension.class)
	class Declarative {

		private final FakeArvadosCluster injected;

		Declarative(FakeArvadosCluster cluster) {
			this.injected = cluster;
		}

		@Test
		void sameClusterForConstructorAndMethod(FakeArvadosCluster cluster) {
			assertThat(cluster).isSameAs(this.injected);
			assertThat(cluster.endpoint()).startsWith("http://127.0.0.1:");
			assertThat(cluster.token()).startsWith("fake-token-");
		}

	}

	@Nested
	class Programmatic {

		@RegisterExtension
		static final FakeArvadosClusterExtension arvados = new FakeArvadosClusterExtension(
				FakeArvadosCluster.builder().token("secret").firstId(42).keepaliveInterval(Duration.ofSeconds(5)));

		@Test
		void configuredClusterIsAvailableFromTheField(FakeArvadosCluster cluster) {
			assertThat(arvados.cluster()).isSameAs(cluster);
			assertThat(cluster.token()).isEqualTo("secret");
			assertThat(cluster.emit("create", FakeArvadosCluster.uuid("4zz18"), Map.of()).id()).isEqualTo(42);
		}

	}

	@Test
	void clusterIsUnavailableOutsideItsTests() {
		FakeArvadosClusterExtension extension = new FakeArvadosClusterExtension();
		assertThatIllegalStateException().isThrownBy(extension::cluster);
	}

}

package org.arvados.events.test;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.jspecify.annotations.Nullable;

/**
 * JUnit Jupiter extension that runs a {@link FakeArvadosCluster} for a test class and injects it
 * into constructors, lifecycle and test methods.
 *
 * <p>With {@code @ExtendWith(FakeArvadosClusterExtension.class)} the cluster has the defaults;
 * register it in a static field to configure it:
 *
 * <pre class="code">
 * &#64;RegisterExtension
 * static FakeArvadosClusterExtension arvados = new FakeArvadosClusterExtension(
 *         FakeArvadosCluster.builder().keepaliveInterval(Duration.ofMillis(200)));
 * </pre>
 *
 * A static field starts one cluster per class; an instance field starts one per test. When a test fails, the
 * failure carries {@link FakeArvadosCluster#describeConnections() what each connection did}.
 */
public final class FakeArvadosClusterExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
		AfterEachCallback, ParameterResolver, TestExecutionExceptionHandler {

	private final FakeArvadosCluster.Builder builder;

	private @Nullable FakeArvadosCluster cluster;

	/** The id of the container that started the cluster and so closes it. */
	private @Nullable String owner;

	public FakeArvadosClusterExtension() {
		this(FakeArvadosCluster.builder());
	}

	public FakeArvadosClusterExtension(FakeArvadosCluster.Builder builder) {
		this.builder = builder;
	}

	/**
	 * The running cluster.
	 * @throws IllegalStateException outside the tests the extension is registered for
	 */
	public FakeArvadosCluster cluster() {
		FakeArvadosCluster running = this.cluster;
		if (running == null) {
			throw new IllegalStateException("The fake Arvados cluster is not running");
		}
		return running;
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		startFor(context);
	}

	@Override
	public void beforeEach(ExtensionContext context) {
		startFor(context);
	}

	@Override
	public void afterEach(ExtensionContext context) {
		stopFor(context);
	}

	@Override
	public void afterAll(ExtensionContext context) {
		stopFor(context);
	}

	@Override
	public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
		return parameter.getParameter().getType() == FakeArvadosCluster.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
		return cluster();
	}

	// A test that timed out waiting for a frame: the record says which side lost it.
	@Override
	public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
		FakeArvadosCluster running = this.cluster;
		if (running != null) {
			throwable.addSuppressed(new ConnectionRecords(running.describeConnections()));
		}
		throw throwable;
	}

	private void startFor(ExtensionContext context) {
		if (this.cluster == null) {
			this.cluster = this.builder.start();
			this.owner = context.getUniqueId();
		}
	}

	private void stopFor(ExtensionContext context) {
		FakeArvadosCluster running = this.cluster;
		if (running != null && context.getUniqueId().equals(this.owner)) {
			this.cluster = null;
			this.owner = null;
			running.close();
		}
	}

	/** The connections' record, attached to a failure. */
	static final class ConnectionRecords extends Exception {

		ConnectionRecords(String record) {
			super(record, null, false, false);
		}

	}

}

package org.arvados.events.sample;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.arvados.events.subscription.ArvadosEventSubscription;
import org.arvados.events.test.FakeArvadosCluster;
import org.arvados.events.test.Transaction;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Plays a believable stream on the embedded fake cluster: collections created, renamed and trashed; container
 * requests moving from Uncommitted through Committed to Final while their containers run; now and then two
 * transactions committing out of id order. Does nothing when the sample follows a real cluster.
 */
@Component
class DemoStream implements SmartLifecycle {

	private static final Duration STEP = Duration.ofMillis(400);

	private static final String OWNER = "zzzzz-tpzed-xurymjxw79nv3jz";

	private final @Nullable FakeArvadosCluster cluster;

	private final ObjectProvider<ArvadosEventSubscription> subscription;

	private final Deque<Runnable> script = new ArrayDeque<>();

	private @Nullable ScheduledExecutorService executor;

	DemoStream(ObjectProvider<FakeArvadosCluster> cluster, ObjectProvider<ArvadosEventSubscription> subscription) {
		this.cluster = cluster.getIfAvailable();
		this.subscription = subscription;
	}

	@Override
	public void start() {
		if (this.cluster == null) {
			return;
		}
		this.executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "demo-stream");
			thread.setDaemon(true);
			return thread;
		});
		this.executor.scheduleWithFixedDelay(this::step, STEP.toMillis(), STEP.toMillis(), TimeUnit.MILLISECONDS);
	}

	@Override
	public void stop() {
		if (this.executor != null) {
			this.executor.shutdownNow();
			this.executor = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.executor != null;
	}

	private void step() {
		// The subscription starts from the latest event: play nothing before it listens.
		ArvadosEventSubscription listening = this.subscription.getIfAvailable();
		if (listening == null || !listening.state().connected()) {
			return;
		}
		if (this.script.isEmpty()) {
			writeScript();
		}
		this.script.removeFirst().run();
	}

	private void writeScript() {
		FakeArvadosCluster arvados = this.cluster;
		String collection = FakeArvadosCluster.uuid("4zz18");
		String request = FakeArvadosCluster.uuid("xvhdp");
		String container = FakeArvadosCluster.uuid("dz642");
		String name = "sample-" + ThreadLocalRandom.current().nextInt(1000, 9999);
		this.script.add(() -> arvados.emit("create", collection, changed(null, Map.of("name", name, "is_trashed", false))));
		this.script.add(() -> arvados.emit("create", request, changed(null, Map.of("name", name, "state", "Uncommitted"))));
		this.script.add(() -> arvados.emit("update", request, state("Uncommitted", "Committed")));
		this.script.add(() -> arvados.emit("create", container, changed(null, Map.of("state", "Queued"))));
		this.script.add(() -> arvados.emit("update", container, state("Queued", "Locked")));
		this.script.add(() -> arvados.emit("update", container, state("Locked", "Running")));
		this.script.add(() -> {
			// Two transactions: the one that took the lower id commits second, as happens on a busy cluster.
			Transaction rename = arvados.begin("update", collection, OWNER, changed(Map.of("name", name), Map.of("name", name + "-v2")));
			Transaction done = arvados.begin("update", container, OWNER, state("Running", "Complete"));
			done.commit();
			rename.commit();
		});
		this.script.add(() -> arvados.emit("update", request, state("Committed", "Final")));
		this.script.add(() -> arvados.emit("update", collection,
				changed(Map.of("is_trashed", false), Map.of("is_trashed", true))));
	}

	private static Map<String, Object> state(String from, String to) {
		return changed(Map.of("state", from), Map.of("state", to));
	}

	private static Map<String, Object> changed(@Nullable Map<String, Object> before, Map<String, Object> after) {
		return (before != null) ? Map.of("old_attributes", before, "new_attributes", after)
				: Map.of("new_attributes", after);
	}

}

package org.arvados.events.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a {@link FakeArvadosCluster} for the Spring test context of the annotated class.
 *
 * <p>The context gets an {@code ArvadosConnectionDetails} bean for the cluster when the starter is on the
 * class path, the way {@code @ServiceConnection} supplies a container's connection details, so the
 * starter's own details from {@code arvados.events.*} back off. It also gets {@code arvados.events.endpoint}
 * and {@code arvados.events.token} pointing at the cluster (ahead of every other property source), and the
 * cluster itself as the bean {@code fakeArvadosCluster}, to emit events from tests. The cluster closes with
 * the context; classes with the same attributes share a cached context, and so a cluster (and every bean, such as
 * one that records the events handled): {@link FakeArvadosCluster#reset()} heals one test's faults for the next,
 * and {@link #isolated()} gives a class a context and a cluster of its own.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface EmbeddedArvadosCluster {

	/** How old a row may be and still be replayed after {@code last_log_id}, in seconds. */
	long replayWindowSeconds() default 600;

	/** Keepalive period and write deadline of the WebSocket server, in milliseconds. */
	long keepaliveMillis() default 60_000;

	/** Frames a connection may have waiting before a live event closes it. */
	int clientQueueCapacity() default 64;

	/** Whether the discovery document advertises the WebSocket URL. */
	boolean advertiseWebsocket() default true;

	/**
	 * Whether this test class gets a cluster, and so an application context, of its own, instead of sharing the
	 * cached one with every class of the same configuration. A shared context keeps its beans across classes: the
	 * events an earlier class emitted reached its handlers, and whatever recorded them still holds them. Isolated,
	 * a class starts from an empty log and fresh beans, at the cost of a context start (Spring caches it for the
	 * class's nested classes and its reruns).
	 */
	boolean isolated() default false;

}

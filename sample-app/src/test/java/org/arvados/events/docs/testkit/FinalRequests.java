package org.arvados.events.docs.testkit;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.arvados.events.ArvadosEvent;
import org.arvados.events.annotation.EventHandler;

import org.springframework.stereotype.Component;

/**
 * The bean under test in the README's test-kit example: remembers the container requests that reached Final.
 */
@Component
class FinalRequests {

	private final List<String> uuids = new CopyOnWriteArrayList<>();

	@EventHandler(objectKinds = "arvados#containerRequest", condition = "#event.newAttributes()['state'] == 'Final'")
	void onFinal(ArvadosEvent event) {
		this.uuids.add(event.objectUuid());
	}

	List<String> uuids() {
		return List.copyOf(this.uuids);
	}

	void clear() {
		this.uuids.clear();
	}

}

package org.arvados.events.docs.testkit;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The application the README's test-kit example tests: {@link FinalRequests} and the starter.
 */
@SpringBootApplication
class TestKitApplication {

}

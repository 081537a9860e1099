/**
 * Spring TestContext integration that starts a fake cluster for each annotated test context.
 */
@NullMarked
package org.arvados.events.test.spring;

import org.jspecify.annotations.NullMarked;

/**
 * The fake cluster's "database": the logs table, its id sequence and its commit notifications.
 */
@NullMarked
package org.arvados.events.test.store;

import org.jspecify.annotations.NullMarked;

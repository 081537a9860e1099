/**
 * Auto-configuration of the durable checkpoint stores: a file, or a Spring Integration metadata store.
 */
@NullMarked
package org.arvados.events.autoconfigure.checkpoint;

import org.jspecify.annotations.NullMarked;

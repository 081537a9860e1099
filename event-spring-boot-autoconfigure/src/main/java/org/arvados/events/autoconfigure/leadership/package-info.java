/**
 * Auto-configuration of the leader election between instances.
 */
@NullMarked
package org.arvados.events.autoconfigure.leadership;

import org.jspecify.annotations.NullMarked;

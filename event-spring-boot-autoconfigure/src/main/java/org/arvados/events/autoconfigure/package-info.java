/**
 * Auto-configuration and the {@code arvados.events.*} properties.
 */
@NullMarked
package org.arvados.events.autoconfigure;

import org.jspecify.annotations.NullMarked;

/**
 * Ahead-of-time processing: the properties whose values choose beans are checked at run time against what the
 * build chose, and the starter's runtime hints.
 */
@NullMarked
package org.arvados.events.autoconfigure.aot;

import org.jspecify.annotations.NullMarked;

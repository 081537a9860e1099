/**
 * Facts about the stream itself (not the cluster's events), published as Spring application events.
 */
@NullMarked
package org.arvados.events.lifecycle;

import org.jspecify.annotations.NullMarked;

/**
 * Several instances of one application: the one that holds the lead follows the stream, the others stand by.
 */
@NullMarked
package org.arvados.events.leadership;

import org.jspecify.annotations.NullMarked;

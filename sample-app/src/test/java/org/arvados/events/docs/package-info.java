/**
 * The Java snippets of the README and of {@code docs/*.md}, compiled here and checked against those files by
 * {@link org.arvados.events.docs.ReadmeSnippetsTests}: each region between {@code // tag::name[]} and
 * {@code // end::name[]} is a block of the documentation. Outside {@code org.arvados.events.sample}, so that the
 * sample's component scan never picks a snippet up.
 */
@NullMarked
package org.arvados.events.docs;

import org.jspecify.annotations.NullMarked;

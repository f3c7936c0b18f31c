/**
 * Procsync's internals that other procsync modules need: nothing here is API. {@link
 * dev.procsync.internal.InternalApi} marks the few public members of user-facing types that exist
 * for the same reason.
 */
@NullMarked
package dev.procsync.internal;

import org.jspecify.annotations.NullMarked;

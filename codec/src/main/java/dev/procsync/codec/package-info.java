/**
 * Codecs: how values become the bytes procsync channels (queues, pipes) carry, and back.
 *
 * <p>A codec names its wire format with a short, language-neutral id ({@code "bytes"},
 * {@code "utf8"}, {@code "int32"}, {@code "int64"}, {@code "float64"}, {@code "json"},
 * {@code "json:<name>"}) that a channel stores in its header; a client in another language that
 * implements the same ids shares the channel (docs/LAYOUT.md lists them). Java serialization is
 * an opt-in codec with an allow-list, never a default.
 *
 * <p>This module has no required dependency besides the JSpecify annotations. JSON uses Jackson 3
 * ({@code tools.jackson.core:jackson-databind}) or Jackson 2
 * ({@code com.fasterxml.jackson.core:jackson-databind}), whichever the application puts on the
 * class path; both write the same bytes.
 */
@NullMarked
package dev.procsync.codec;

import org.jspecify.annotations.NullMarked;

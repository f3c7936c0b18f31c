/**
 * One descriptor per shared layout: the offsets, sizes, state values and layout version of every
 * segment kind, written once and read by the primitives, the inspector, the layout documents
 * (whose tables are generated from these classes and checked by the build) and clients in other
 * languages (through the generated {@code docs/layout/layouts.json}).
 *
 * <p>Each {@code *Layout} class draws its layout as an offset table in its javadoc, builds its
 * {@code *_OFFSET} constants up from the header length and from each other, and exposes a
 * {@link dev.procsync.layout.LayoutDescriptor} whose validator names the number that is wrong.
 * A change to a layout bumps that kind's {@code VERSION}; a reader meeting a newer version refuses
 * the file. Nothing here depends on the rest of procsync.
 */
@NullMarked
package dev.procsync.layout;

import org.jspecify.annotations.NullMarked;

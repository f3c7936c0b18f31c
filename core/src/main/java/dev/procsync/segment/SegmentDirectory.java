package dev.procsync.segment;

import dev.procsync.NamespaceOptions;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * What a primitive needs of the namespace it lives in: its name, its directory, its options, and
 * the four ways to get a segment mapped. {@link dev.procsync.Namespace} implements it; the
 * primitives in {@code sync}, {@code data} and {@code channel} take this type, never the façade,
 * so the façade can depend on them and not the reverse (a test in core's suite checks the
 * direction).
 *
 * <p>Every segment returned is tracked by the directory and closed with it. Names are checked as
 * described in {@link dev.procsync.Namespace} ("Names").
 */
public interface SegmentDirectory {

    /** The namespace's name, for messages. */
    String name();

    /** The directory holding its segment files. */
    Path directory();

    /** The options it was opened with. */
    NamespaceOptions options();

    /**
     * Opens the named segment, creating it if missing.
     *
     * @param segmentName the name
     * @param spec        kind, parameters and body length; checked against an existing file
     * @param init        writes the initial body of a new segment before it is published
     * @return the open segment
     */
    Segment createOrOpen(String segmentName, SegmentSpec spec, Consumer<Segment> init);

    /**
     * Opens the segment kept for {@code owner} under the derived name {@code owner~purpose},
     * creating it if missing.
     *
     * @param owner   the user's name the segment belongs to
     * @param purpose what it is for, 1-16 lower-case letters (e.g. {@code "lock"})
     * @param spec    kind, parameters and body length; checked against an existing file
     * @param init    writes the initial body of a new segment before it is published
     * @return the open segment
     */
    Segment createOrOpenDerived(String owner, String purpose, SegmentSpec spec, Consumer<Segment> init);

    /**
     * Creates the named segment; fails with {@link dev.procsync.SegmentExistsException} if it exists.
     *
     * @param segmentName the name
     * @param spec        kind, parameters and body length
     * @param init        writes the initial body before it is published
     * @return the open segment
     */
    Segment create(String segmentName, SegmentSpec spec, Consumer<Segment> init);

    /**
     * Opens an existing segment and checks it against a spec.
     *
     * @param segmentName the name
     * @param spec        the expected kind and parameters
     * @return the open segment
     * @throws dev.procsync.SegmentNotFoundException if it does not exist
     */
    Segment open(String segmentName, SegmentSpec spec);
}

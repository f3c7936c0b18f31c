package dev.procsync.segment;

import dev.procsync.layout.HeaderLayout;
import com.sun.jna.LastErrorException;
import dev.procsync.InvalidSegmentException;
import dev.procsync.ProcsyncException;
import dev.procsync.SegmentExistsException;
import dev.procsync.SegmentMismatchException;
import dev.procsync.SegmentNotFoundException;
import dev.procsync.UntrustedFileException;
import dev.procsync.process.ProcessId;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Creates and opens segment files in a directory, race-free across processes.
 *
 * <h2>Create-or-open protocol</h2>
 * <ol>
 *   <li>The creator makes a private temporary file {@code .<name>.<pid>.<random>.creating} with
 *       {@code O_CREAT|O_EXCL}, mode as asked (0600 by default, {@code fchmod} so the umask cannot
 *       widen or narrow it), reserves the whole length with {@code posix_fallocate} (a full file
 *       system fails here, with a message, not as SIGBUS later), maps it, writes the header and
 *       the initial body, and finally stores the ready word with release semantics.</li>
 *   <li>It publishes the file with {@code link(2)} to the real name, which fails with
 *       {@code EEXIST} if another process won the race, and removes the temporary name. The
 *       loser discards its copy and opens the winner's.</li>
 *   <li>An opener therefore never sees a half-initialised file under the real name; it still
 *       checks magic, version, kind, length and the ready word, and waits (bounded) for ready in
 *       case a foreign writer publishes differently.</li>
 * </ol>
 * Attaching never re-initialises. A creator that dies mid-way leaves only a temporary file,
 * which the inspector's {@code gc} removes once its pid is dead.
 */
public final class SegmentFiles {
    /**
     * User names of primitives and namespaces: a letter or digit, then letters, digits, '.', '_' or
     * '-'; at most 128 characters. The rule is stated for users in {@link dev.procsync.Namespace}.
     */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    /**
     * The character that joins a user name to the purpose of a segment procsync derives from it
     * ({@code x~lock}: the lock of value {@code x}). A user name can never contain it, so a derived
     * segment can never collide with a user's.
     */
    public static final char DERIVED_MARK = '~';
    /** Every segment file name: a user name, or a derived one ({@code <user name>~<purpose>}). */
    public static final Pattern SEGMENT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}(~[a-z]{1,16})?");
    /** Suffix of a creator's private file before it is published. */
    public static final String CREATING_SUFFIX = ".creating";

    private static final long READY_WAIT_NANOS = 2_000_000_000L;

    private SegmentFiles() {
    }

    /**
     * Checks a primitive or namespace name.
     *
     * @param what "name" or "namespace", for the message
     * @param name the candidate
     * @return the name
     * @throws IllegalArgumentException naming what is wrong with it
     */
    public static String validateName(String what, String name) {
        if (name == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid " + what + " '" + printable(name)
                    + "': use 1-128 of [A-Za-z0-9._-], starting with a letter or digit (no '/', '..' or NUL)");
        }
        return name;
    }

    /**
     * The name of a segment procsync keeps for a user's primitive, such as the lock of a shared
     * value: {@code owner + "~" + purpose}, which no user name can spell.
     *
     * @param owner   the user's name (checked)
     * @param purpose 1-16 lower-case letters, e.g. {@code "lock"}
     * @return the derived name
     * @throws IllegalArgumentException if {@code owner} is not a valid user name
     */
    public static String derivedName(String owner, String purpose) {
        validateName("name", owner);
        String derived = owner + DERIVED_MARK + purpose;
        if (!SEGMENT_NAME.matcher(derived).matches()) {
            throw new IllegalArgumentException("invalid purpose of a derived name: '" + printable(purpose) + "'");
        }
        return derived;
    }

    /**
     * Checks a segment file name: a user name or a derived name. Only the namespace's file-level
     * operations ({@code exists}, {@code unlink}, the inspector) take derived names; primitives are
     * opened by user name.
     *
     * @param name the candidate
     * @return the name
     * @throws IllegalArgumentException naming what is wrong with it
     */
    public static String validateSegmentName(String name) {
        if (name != null && SEGMENT_NAME.matcher(name).matches()) {
            return name;
        }
        return validateName("name", name);
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return b.length() > 140 ? b.substring(0, 140) + "..." : b.toString();
    }

    /**
     * Opens the named segment, creating it if missing.
     *
     * @param dir  the namespace directory; its rule gives the mode and group of a new file
     * @param name a valid name
     * @param spec the kind, parameters and body length
     * @param init writes the initial body of a new segment before it is published
     * @return the open segment
     */
    public static Segment createOrOpen(NamespaceDirectory dir, String name, SegmentSpec spec, Consumer<Segment> init) {
        validateSegmentName(name);
        for (int attempt = 0; ; attempt++) {
            try {
                return open(dir, name, spec);
            } catch (SegmentNotFoundException missing) {
                try {
                    return create(dir, name, spec, init);
                } catch (SegmentExistsException raced) {
                    if (attempt > 100) {
                        throw new ProcsyncException("cannot create or open " + dir.path().resolve(name)
                                + ": it keeps appearing and disappearing", raced);
                    }
                }
            }
        }
    }

    /**
     * Creates a new segment; fails if the name exists.
     *
     * @param dir  the namespace directory; its rule gives the file's mode and group
     * @param name a valid name
     * @param spec the kind, parameters and body length
     * @param init writes the initial body before it is published
     * @return the open segment
     * @throws SegmentExistsException if the name exists
     */
    public static Segment create(NamespaceDirectory dir, String name, SegmentSpec spec, Consumer<Segment> init) {
        validateSegmentName(name);
        Segment.reclaim();
        return dir.withHandle(h -> create(h, dir, name, spec, init));
    }

    private static Segment create(NamespaceDirectory.Handle h, NamespaceDirectory dir, String name, SegmentSpec spec,
            Consumer<Segment> init) {
        Path target = dir.path().resolve(name);
        ProcessId me = ProcessId.current();
        String temp = "." + name + "." + me.pid() + "." + Long.toHexString(ThreadLocalRandom.current()
                .nextLong() & Long.MAX_VALUE) + CREATING_SUFFIX;
        long length = spec.totalLength();
        int mode = dir.trust().fileMode();
        int fd;
        try {
            fd = Libc.openat(h.fd, temp, Libc.O_RDWR | Libc.O_CREAT | Libc.O_EXCL | Libc.O_NOFOLLOW | Libc.O_CLOEXEC,
                    mode);
        } catch (LastErrorException e) {
            throw new ProcsyncException("cannot create " + target + ": " + Libc.strerror(e.getErrorCode()), e);
        }
        Segment segment = null;
        boolean published = false;
        try {
            dir.trust().adopt(fd, mode, target);
            int rc;
            do {
                rc = Libc.posix_fallocate(fd, 0, length);
            } while (rc == Libc.EINTR);
            if (rc != 0) {
                throw new ProcsyncException("cannot reserve " + length + " bytes for " + target + ": "
                        + Libc.strerror(rc) + (rc == Libc.ENOSPC ? " (the file system under " + dir.path()
                        + " is full; containers default /dev/shm to 64 MB)" : ""));
            }
            long inode = FileStat.of(fd, target).ino;
            long address = Libc.mmap(0, length, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_SHARED, fd, 0);
            segment = new Segment(target, spec.kind(), address, (int) length);
            segment.setLong(HeaderLayout.MAGIC_OFFSET, HeaderLayout.MAGIC);
            segment.setInt(HeaderLayout.VERSION_OFFSET, spec.layoutVersion());
            segment.setInt(HeaderLayout.KIND_OFFSET, spec.kind().code());
            segment.setLong(HeaderLayout.TOTAL_LENGTH_OFFSET, length);
            for (int i = 0; i < spec.paramCount(); i++) {
                segment.setLong(HeaderLayout.paramOffset(i), spec.param(i));
            }
            segment.setInt(HeaderLayout.CREATOR_PID_OFFSET, me.pid());
            segment.setLong(HeaderLayout.CREATOR_START_OFFSET, me.startTime());
            segment.setLong(HeaderLayout.CREATED_AT_OFFSET, System.currentTimeMillis());
            segment.setInt(HeaderLayout.BODY_OFFSET_OFFSET, HeaderLayout.LENGTH);
            init.accept(segment);
            // Publish: everything above happens-before any opener's acquire read of ready.
            segment.setIntRelease(HeaderLayout.READY_OFFSET, HeaderLayout.READY);
            try {
                // Relative to the checked directory descriptor; linkat never follows the temporary name.
                Libc.linkat(h.fd, temp, h.fd, name, 0);
            } catch (LastErrorException e) {
                if (e.getErrorCode() == Libc.EEXIST) {
                    throw new SegmentExistsException(target + " already exists");
                }
                throw new ProcsyncException("cannot publish " + target + ": " + Libc.strerror(e.getErrorCode()), e);
            }
            published = true;
            segment.recordInode(inode);
            return segment;
        } catch (LastErrorException e) {
            throw new ProcsyncException("cannot create " + target + ": " + Libc.strerror(e.getErrorCode()), e);
        } finally {
            NamespaceDirectory.closeQuietly(fd);
            try {
                Libc.unlinkat(h.fd, temp, 0);
            } catch (LastErrorException ignored) {
                // The inspector's gc removes a temporary file we could not.
            }
            if (!published && segment != null) {
                segment.close();
            }
        }
    }

    /**
     * Opens an existing segment and checks it against a spec.
     *
     * @param dir  the namespace directory
     * @param name a valid name
     * @param spec what the caller expects: kind and parameters must match
     * @return the open segment
     * @throws SegmentNotFoundException if the name does not exist
     * @throws SegmentMismatchException if it holds another kind or other parameters
     * @throws InvalidSegmentException  if the file is not a usable segment, or shorter than the spec needs
     * @throws UntrustedFileException   if the file fails the directory's trust rule
     */
    public static Segment open(NamespaceDirectory dir, String name, SegmentSpec spec) {
        Segment segment = open(dir, name);
        try {
            if (segment.kind() != spec.kind()) {
                throw new SegmentMismatchException("'" + name + "' in " + dir.path() + " is a " + segment.kind()
                        + ", not a " + spec.kind());
            }
            for (int i = 0; i < spec.paramCount(); i++) {
                long stored = segment.getLongAcquire(HeaderLayout.paramOffset(i));
                if (stored != spec.param(i)) {
                    throw new SegmentMismatchException(spec.kind() + " '" + name + "' in " + dir.path()
                            + " was created with " + spec.paramName(i) + "=" + stored + ", not " + spec.paramName(i)
                            + "=" + spec.param(i));
                }
            }
            if (segment.length() < spec.totalLength()) {
                // A self-consistent header can still be too short for what its parameters declare.
                throw new InvalidSegmentException(segment.path() + ": " + segment.length()
                        + " bytes is shorter than a " + spec.kind() + " with these parameters needs ("
                        + spec.totalLength() + ")");
            }
            return segment;
        } catch (RuntimeException e) {
            segment.close();
            throw e;
        }
    }

    /**
     * Opens an existing segment of any kind, validating its header.
     *
     * @param dir  the namespace directory
     * @param name a valid name
     * @return the open segment
     * @throws SegmentNotFoundException if the name does not exist
     * @throws InvalidSegmentException  if the file is not a usable segment
     * @throws UntrustedFileException   if the file fails the directory's trust rule
     */
    public static Segment open(NamespaceDirectory dir, String name) {
        validateSegmentName(name);
        Segment.reclaim();
        return dir.withHandle(h -> open(h, dir, name));
    }

    private static Segment open(NamespaceDirectory.Handle h, NamespaceDirectory dir, String name) {
        Path path = dir.path().resolve(name);
        int fd;
        try {
            fd = Libc.openat(h.fd, name, Libc.O_RDWR | Libc.O_NOFOLLOW | Libc.O_NONBLOCK | Libc.O_CLOEXEC, 0);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Libc.ENOENT) {
                throw new SegmentNotFoundException(path + " does not exist");
            }
            if (e.getErrorCode() == Libc.ELOOP) {
                throw new UntrustedFileException(path
                        + ": refused: it is a symbolic link (procsync never follows links)");
            }
            throw new ProcsyncException("cannot open " + path + ": " + Libc.strerror(e.getErrorCode()), e);
        }
        try {
            FileStat stat = dir.trust().checkFile(fd, path);
            long size = stat.size;
            if (size < HeaderLayout.LENGTH) {
                throw new InvalidSegmentException(path + ": " + size + " bytes is shorter than the "
                        + HeaderLayout.LENGTH + "-byte header (truncated, empty or foreign)");
            }
            if (size > Segment.MAX_LENGTH) {
                throw new InvalidSegmentException(path + ": " + size + " bytes is larger than any segment ("
                        + Segment.MAX_LENGTH + ")");
            }
            long address = Libc.mmap(0, size, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_SHARED, fd, 0);
            Segment segment = new Segment(path, SegmentKind.LOCK, address, (int) size);
            try {
                if (segment.getLongAcquire(HeaderLayout.MAGIC_OFFSET) != HeaderLayout.MAGIC) {
                    throw new InvalidSegmentException(path + ": " + SegmentHeader.NOT_A_SEGMENT);
                }
                awaitReady(segment, path);
                segment.kind = SegmentHeader.validate(segment, path, size);
                segment.recordInode(stat.ino);
                return segment;
            } catch (RuntimeException e) {
                segment.close();
                throw e;
            }
        } catch (LastErrorException e) {
            throw new ProcsyncException("cannot map " + path + ": " + Libc.strerror(e.getErrorCode()), e);
        } finally {
            NamespaceDirectory.closeQuietly(fd);
        }
    }

    private static void awaitReady(Segment segment, Path path) {
        long deadline = System.nanoTime() + READY_WAIT_NANOS;
        int ready;
        while ((ready = segment.getIntAcquire(HeaderLayout.READY_OFFSET)) != HeaderLayout.READY) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new InvalidSegmentException(path + ": not published as ready within "
                        + READY_WAIT_NANOS / 1_000_000 + " ms (ready word " + ready + ")");
            }
            segment.await(HeaderLayout.READY_OFFSET, ready, Math.min(left, 10_000_000L));
        }
    }
}

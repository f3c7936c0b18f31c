package dev.procsync.segment;

import com.sun.jna.LastErrorException;
import dev.procsync.ProcsyncException;
import dev.procsync.UntrustedFileException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A namespace directory under a root, reached only through checked directory descriptors.
 *
 * <p>Every operation opens the root with {@code O_DIRECTORY|O_NOFOLLOW}, checks the descriptor
 * against the {@link FileTrust} rule, opens the namespace directory relative to it
 * ({@code openat}, again without following a link) and checks that too; files are then created,
 * opened, linked and unlinked relative to that descriptor. A rename or a planted link between a
 * check and a use therefore cannot redirect procsync to another directory, and nothing outside the
 * namespace directory is ever created or deleted. Descriptors live only for one operation, so a
 * handle holds no file descriptor and needs no closing.
 */
public final class NamespaceDirectory {
    /** A creator's temporary file: {@code .<name>.<pid>.<hex>.creating}. */
    public static final Pattern CREATING = Pattern.compile(
            "\\.([A-Za-z0-9][A-Za-z0-9._-]{0,127}(?:~[a-z]{1,16})?)\\.(\\d{1,10})"
            + "\\.[0-9a-f]{1,16}" + Pattern.quote(SegmentFiles.CREATING_SUFFIX));

    private static final int AT_FDCWD = -100;
    private static final int DIRECTORY_FLAGS = Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_NOFOLLOW | Libc.O_CLOEXEC;

    private final Path root;
    private final String name;
    private final Path path;
    private final FileTrust trust;

    private NamespaceDirectory(Path root, String name, FileTrust trust) {
        this.root = root;
        this.name = name;
        this.path = root.resolve(name);
        this.trust = trust;
    }

    /**
     * Opens the named namespace directory, creating the root and the directory if they are missing
     * (with the rule's directory mode and group), and checks both.
     *
     * @param root  the directory holding namespace directories
     * @param name  a valid namespace name
     * @param trust the rule
     * @return the directory
     * @throws UntrustedFileException if the root or the directory fails the rule
     */
    public static NamespaceDirectory open(Path root, String name, FileTrust trust) {
        SegmentFiles.validateName("namespace", name);
        NamespaceDirectory dir = new NamespaceDirectory(root, name, trust);
        int rootFd = dir.openDirectory(AT_FDCWD, root.toString(), root, true);
        try {
            int fd = dir.openDirectory(rootFd, name, dir.path, true);
            closeQuietly(fd);
        } finally {
            closeQuietly(rootFd);
        }
        return dir;
    }

    /** The directory's path (for messages and tools; procsync itself never resolves it again). */
    public Path path() {
        return path;
    }

    /** The rule its files are checked against. */
    public FileTrust trust() {
        return trust;
    }

    /** The valid segment names in the directory, sorted; temporary files excluded. */
    public List<String> names() {
        return withHandle(h -> {
            List<String> names = new ArrayList<>();
            for (String entry : h.entries()) {
                if (SegmentFiles.SEGMENT_NAME.matcher(entry).matches()) {
                    names.add(entry);
                }
            }
            names.sort(null);
            return names;
        });
    }

    /**
     * Whether the name exists (as anything: a link is not followed).
     *
     * @param segmentName a valid name
     * @return whether it exists
     */
    public boolean exists(String segmentName) {
        SegmentFiles.validateSegmentName(segmentName);
        return withHandle(h -> FileStat.ofEntry(h.fd, segmentName, path.resolve(segmentName)) != null);
    }

    /**
     * Removes a name, or a creator's temporary file ({@link #CREATING}); a link is removed, never
     * followed, and a directory is left alone.
     *
     * @param fileName a valid name or temporary file name
     * @return whether it existed
     */
    public boolean unlink(String fileName) {
        if (!CREATING.matcher(fileName).matches()) {
            SegmentFiles.validateSegmentName(fileName);
        }
        return withHandle(h -> unlinkIn(h, fileName));
    }

    /**
     * Removes every entry of the directory (links are removed, not followed) and then the
     * directory itself, if it is still the one that was emptied.
     *
     * @throws ProcsyncException if something could not be removed (a subdirectory, say)
     */
    public void destroy() {
        withHandle(h -> {
            List<String> leftAlone = new ArrayList<>();
            for (String entry : h.entries()) {
                try {
                    unlinkIn(h, entry);
                } catch (ProcsyncException e) {
                    leftAlone.add(entry);
                }
            }
            if (!leftAlone.isEmpty()) {
                throw new ProcsyncException("cannot destroy namespace " + path + ": left " + leftAlone
                        + " alone (not files procsync removes)");
            }
            FileStat now = FileStat.ofEntry(h.rootFd, name, path);
            if (now != null && now.sameFile(h.stat)) {
                try {
                    Libc.unlinkat(h.rootFd, name, Libc.AT_REMOVEDIR);
                } catch (LastErrorException e) {
                    if (e.getErrorCode() != Libc.ENOENT) {
                        throw new ProcsyncException("cannot remove " + path + ": " + Libc.strerror(e.getErrorCode()),
                                e);
                    }
                }
            }
            return null;
        });
    }

    private boolean unlinkIn(Handle h, String entry) {
        try {
            Libc.unlinkat(h.fd, entry, 0);
            return true;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Libc.ENOENT) {
                return false;
            }
            throw new ProcsyncException("cannot unlink " + path.resolve(entry) + ": "
                    + Libc.strerror(e.getErrorCode()), e);
        }
    }

    /** Runs one operation on freshly opened and checked descriptors of the root and the directory. */
    <T> T withHandle(Function<Handle, T> operation) {
        int rootFd = openDirectory(AT_FDCWD, root.toString(), root, false);
        try {
            int fd = openDirectory(rootFd, name, path, false);
            try {
                return operation.apply(new Handle(rootFd, fd, FileStat.of(fd, path)));
            } finally {
                closeQuietly(fd);
            }
        } finally {
            closeQuietly(rootFd);
        }
    }

    /**
     * Opens a directory without following a link, creating it first if asked, and checks it.
     * A directory this call created gets the rule's mode and group before it is checked.
     */
    private int openDirectory(int parentFd, String entry, Path where, boolean create) {
        boolean created = false;
        if (create) {
            try {
                if (parentFd == AT_FDCWD && where.getParent() != null && !Files.isDirectory(where.getParent())) {
                    Files.createDirectories(where.getParent()); // above the root: the user's own choice
                }
                Libc.mkdirat(parentFd, entry, trust.directoryMode());
                created = true;
            } catch (LastErrorException e) {
                if (e.getErrorCode() != Libc.EEXIST) {
                    throw new ProcsyncException("cannot create directory " + where + ": "
                            + Libc.strerror(e.getErrorCode()), e);
                }
            } catch (IOException e) {
                throw new ProcsyncException("cannot create directory " + where.getParent() + ": " + e, e);
            }
        }
        int fd;
        try {
            fd = Libc.openat(parentFd, entry, DIRECTORY_FLAGS, 0);
        } catch (LastErrorException e) {
            int errno = e.getErrorCode();
            if (errno == Libc.ELOOP || errno == Libc.ENOTDIR) {
                FileStat st = FileStat.ofEntry(parentFd, entry, where);
                throw new UntrustedFileException(where + ": refused: " + (st != null && st.type() == Libc.S_IFLNK
                        ? "it is a symbolic link (procsync never follows links)" : "not a directory"));
            }
            if (errno == Libc.ENOENT) {
                throw new ProcsyncException(where + " does not exist (the namespace was destroyed?)");
            }
            throw new ProcsyncException("cannot open directory " + where + ": " + Libc.strerror(errno), e);
        }
        try {
            if (created) {
                trust.adopt(fd, trust.directoryMode(), where);
            }
            trust.checkDirectory(fd, where);
            return fd;
        } catch (RuntimeException e) {
            closeQuietly(fd);
            throw e;
        }
    }

    static void closeQuietly(int fd) {
        try {
            Libc.close(fd);
        } catch (LastErrorException ignored) {
            // close(2) after a successful open only fails on EINTR/EIO; the fd is released anyway.
        }
    }

    @Override
    public String toString() {
        return path.toString();
    }

    /** The two checked descriptors of one operation. */
    static final class Handle {
        final int rootFd;
        final int fd;
        final FileStat stat;

        Handle(int rootFd, int fd, FileStat stat) {
            this.rootFd = rootFd;
            this.fd = fd;
            this.stat = stat;
        }

        /** The entries of the opened directory itself (listed through /proc/self/fd, never by path). */
        List<String> entries() {
            List<String> entries = new ArrayList<>();
            try (Stream<Path> list = Files.list(Path.of("/proc/self/fd", Integer.toString(fd)))) {
                list.forEach(p -> entries.add(p.getFileName().toString()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list directory descriptor " + fd, e);
            }
            return entries;
        }
    }
}

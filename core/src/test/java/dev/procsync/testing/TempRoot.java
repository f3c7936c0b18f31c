package dev.procsync.testing;

import dev.procsync.Namespace;
import dev.procsync.NamespaceOptions;
import dev.procsync.Procsync;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A private namespace root under /dev/shm for one test, removed on close, so that concurrent test
 * runs (and concurrent developers) never share a name. The root is a fresh directory made directly
 * in /dev/shm (sticky, so nobody else can rename or remove it) under a random name, 0700 and owned by
 * the test's user, as the trust rule asks of any root. Nothing shared is created: no parent
 * directory is left behind whose owner or mode would decide for another user's runs.
 */
public final class TempRoot implements AutoCloseable {
    private final Path root;

    public TempRoot() {
        this.root = Path.of("/dev/shm", "procsync-test-" + UUID.randomUUID().toString().substring(0, 12));
        try {
            // createDirectory fails if the name exists in any form (a planted link included);
            // the umask can only narrow 0700.
            Files.createDirectory(root, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path path() {
        return root;
    }

    public NamespaceOptions options() {
        return NamespaceOptions.defaults().withRoot(root);
    }

    public Namespace open(String namespace) {
        return Procsync.open(namespace, options());
    }

    /** Arguments a child needs to open the same namespace: root path and namespace name. */
    public String[] childArgs(String namespace, String... more) {
        String[] all = new String[2 + more.length];
        all[0] = root.toString();
        all[1] = namespace;
        System.arraycopy(more, 0, all, 2, more.length);
        return all;
    }

    /** In a child: opens the namespace named by {@code args[0]} (root) and {@code args[1]}. */
    public static Namespace openFromArgs(String[] args) {
        return Procsync.open(args[1], NamespaceOptions.defaults().withRoot(Path.of(args[0])));
    }

    @Override
    public void close() {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

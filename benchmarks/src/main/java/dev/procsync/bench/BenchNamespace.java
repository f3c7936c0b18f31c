package dev.procsync.bench;

import dev.procsync.Namespace;
import dev.procsync.NamespaceOptions;
import dev.procsync.Procsync;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A throw-away namespace root under /dev/shm for one benchmark run, removed on close. */
public final class BenchNamespace implements AutoCloseable {
    private final Path root;
    private final Namespace namespace;

    private BenchNamespace(Path root, String name) {
        this.root = root;
        this.namespace = Procsync.open(name, NamespaceOptions.defaults().withRoot(root));
    }

    /** Creates a fresh root and opens {@code name} in it. */
    public static BenchNamespace create(String name) {
        try {
            // A fresh 0700 directory directly in sticky /dev/shm: no shared parent is left behind.
            return new BenchNamespace(Files.createTempDirectory(Path.of("/dev/shm"), "procsync-bench-"), name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Opens an existing root (in a peer process). */
    public static Namespace open(Path root, String name) {
        return Procsync.open(name, NamespaceOptions.defaults().withRoot(root));
    }

    public Namespace namespace() {
        return namespace;
    }

    public Path root() {
        return root;
    }

    @Override
    public void close() {
        namespace.close();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

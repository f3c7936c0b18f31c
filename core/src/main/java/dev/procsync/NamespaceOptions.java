package dev.procsync;

import dev.procsync.futex.SpinPolicy;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How a {@link Namespace} is opened: where its directory lives, the mode of the files it creates,
 * and how its primitives spin before they sleep. Immutable; {@code with*} methods return copies.
 */
public final class NamespaceOptions {
    /** Default root of every namespace: {@code /dev/shm/procsync}. */
    public static final Path DEFAULT_ROOT = Path.of("/dev/shm/procsync");

    private final Path root;
    private final int fileMode;
    private final SpinPolicy spinPolicy;

    private NamespaceOptions(Path root, int fileMode, SpinPolicy spinPolicy) {
        this.root = root;
        this.fileMode = fileMode;
        this.spinPolicy = spinPolicy;
    }

    /**
     * The defaults: root from the {@code procsync.root} system property, else the
     * {@code PROCSYNC_ROOT} environment variable, else {@link #DEFAULT_ROOT}; files 0600;
     * {@link SpinPolicy#adaptive()}.
     *
     * @return the defaults
     */
    public static NamespaceOptions defaults() {
        String root = System.getProperty("procsync.root");
        if (root == null || root.isEmpty()) {
            root = System.getenv("PROCSYNC_ROOT");
        }
        return new NamespaceOptions(root == null || root.isEmpty() ? DEFAULT_ROOT : Path.of(root), 0600,
                SpinPolicy.adaptive());
    }

    /**
     * A copy with another root directory (any tmpfs or file system path).
     *
     * @param root the directory that holds namespace directories
     * @return the copy
     */
    public NamespaceOptions withRoot(Path root) {
        return new NamespaceOptions(Objects.requireNonNull(root, "root"), fileMode, spinPolicy);
    }

    /**
     * A copy with another mode for created files, e.g. {@code 0660} to share with a group.
     * The namespace directory gets the same bits plus search permission.
     *
     * @param mode permission bits, within {@code 0777}, including owner read and write
     * @return the copy
     */
    public NamespaceOptions withFileMode(int mode) {
        if ((mode & ~0777) != 0 || (mode & 0600) != 0600) {
            throw new IllegalArgumentException("file mode must be within 0777 and include owner rw (0600): 0"
                    + Integer.toOctalString(mode));
        }
        return new NamespaceOptions(root, mode, spinPolicy);
    }

    /**
     * A copy with another spin policy for the primitives opened through the namespace.
     *
     * @param policy the policy
     * @return the copy
     */
    public NamespaceOptions withSpinPolicy(SpinPolicy policy) {
        return new NamespaceOptions(root, fileMode, Objects.requireNonNull(policy, "policy"));
    }

    /** The root directory. */
    public Path root() {
        return root;
    }

    /** Mode of created files. */
    public int fileMode() {
        return fileMode;
    }

    /** Spin policy of the primitives. */
    public SpinPolicy spinPolicy() {
        return spinPolicy;
    }
}

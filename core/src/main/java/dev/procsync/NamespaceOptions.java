package dev.procsync;

import dev.procsync.futex.SpinPolicy;
import dev.procsync.segment.FileTrust;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How a {@link Namespace} is opened: where its directory lives, the mode and group of the files it
 * creates (and trusts), and how its primitives spin before they sleep. Immutable; {@code with*}
 * methods return copies.
 *
 * <h2>Trust</h2>
 * A namespace uses a root directory, its own directory and segment files only if they pass the
 * rule of {@link FileTrust}: no symbolic links, owned by the current user (or of the
 * {@linkplain #withGroup(int) shared group}), and no mode bit beyond {@link #fileMode()} (files)
 * or the same plus search permission (directories). Anything else is refused with
 * {@link UntrustedFileException}. The default root is therefore per user; to share between users,
 * name a root both can reach, a group both are in, and a group mode:
 * <pre>{@code
 * NamespaceOptions.defaults().withRoot(Path.of("/dev/shm/procsync-team"))
 *         .withGroup(1234).withFileMode(0660)
 * }</pre>
 */
public final class NamespaceOptions {
    private final Path root;
    private final int fileMode;
    private final int group;
    private final SpinPolicy spinPolicy;

    private NamespaceOptions(Path root, int fileMode, int group, SpinPolicy spinPolicy) {
        this.root = root;
        this.fileMode = fileMode;
        this.group = group;
        this.spinPolicy = spinPolicy;
    }

    /**
     * The defaults: root from the {@code procsync.root} system property, else the
     * {@code PROCSYNC_ROOT} environment variable, else {@link #defaultRoot()}; files 0600, no
     * group; {@link SpinPolicy#adaptive()}.
     *
     * @return the defaults
     */
    public static NamespaceOptions defaults() {
        String root = System.getProperty("procsync.root");
        if (root == null || root.isEmpty()) {
            root = System.getenv("PROCSYNC_ROOT");
        }
        return new NamespaceOptions(root == null || root.isEmpty() ? defaultRoot() : Path.of(root), 0600,
                FileTrust.NO_GROUP, SpinPolicy.adaptive());
    }

    /**
     * The root used when none is configured: {@code /dev/shm/procsync-<uid>} for the current
     * effective user id, created {@code 0700} by its user on first use. Another user's process
     * never uses it (it is not theirs), so one user's run never decides for another.
     *
     * @return the current user's default root
     */
    public static Path defaultRoot() {
        return Path.of("/dev/shm/procsync-" + Integer.toUnsignedString(FileTrust.currentUid()));
    }

    /**
     * A copy with another root directory (any tmpfs or file system path).
     *
     * @param root the directory that holds namespace directories
     * @return the copy
     */
    public NamespaceOptions withRoot(Path root) {
        return new NamespaceOptions(Objects.requireNonNull(root, "root"), fileMode, group, spinPolicy);
    }

    /**
     * A copy with another mode for created files, e.g. {@code 0660} to share with a group.
     * Directories get the same bits plus search permission. It is also the widest mode trusted:
     * an existing file or directory with any bit beyond it is refused.
     *
     * @param mode permission bits, within {@code 0777}, including owner read and write
     * @return the copy
     */
    public NamespaceOptions withFileMode(int mode) {
        FileTrust.of(mode, FileTrust.NO_GROUP); // validates
        return new NamespaceOptions(root, mode, group, spinPolicy);
    }

    /**
     * A copy that shares with a group: directories and files this process creates get the group
     * (the user must be a member), and directories and files of other owners are trusted when
     * they have this group and no mode bit beyond {@link #fileMode()}. Combine it with a group
     * mode such as {@code withFileMode(0660)}; {@code getent group NAME} shows a group's id.
     * Every member of the group can then use, block and damage the namespace's primitives (as the
     * user can); none can make this process follow a link or touch a file outside the namespace.
     *
     * @param gid the group id, 0 or more
     * @return the copy
     */
    public NamespaceOptions withGroup(int gid) {
        if (gid < 0) {
            throw new IllegalArgumentException("group id must be 0 or more: " + gid);
        }
        return new NamespaceOptions(root, fileMode, gid, spinPolicy);
    }

    /**
     * A copy with another spin policy for the primitives opened through the namespace.
     *
     * @param policy the policy
     * @return the copy
     */
    public NamespaceOptions withSpinPolicy(SpinPolicy policy) {
        return new NamespaceOptions(root, fileMode, group, Objects.requireNonNull(policy, "policy"));
    }

    /** The root directory. */
    public Path root() {
        return root;
    }

    /** Mode of created files. */
    public int fileMode() {
        return fileMode;
    }

    /** The shared group's id, or {@link FileTrust#NO_GROUP}. */
    public int group() {
        return group;
    }

    /** Spin policy of the primitives. */
    public SpinPolicy spinPolicy() {
        return spinPolicy;
    }
}

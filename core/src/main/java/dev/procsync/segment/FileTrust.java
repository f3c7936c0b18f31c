package dev.procsync.segment;

import com.sun.jna.LastErrorException;
import dev.procsync.ProcsyncException;
import dev.procsync.UntrustedFileException;
import java.nio.file.Path;

/**
 * The trust rule a namespace applies to its root, its directory and every segment file, checked on
 * the open file descriptor ({@code statx} of the descriptor, never of a path):
 * <ul>
 *   <li>not a symbolic link (every open uses {@code O_NOFOLLOW}), and of the expected type: a
 *       directory, or a regular file;</li>
 *   <li>owned by this process's effective user, or, when the namespace shares with a group, of
 *       that group (a file or directory of another owner is trusted only through the group);</li>
 *   <li>no permission bit beyond what the namespace asked for: the file mode (0600 by default) for
 *       files, the same bits plus search permission for directories (0700 by default); and when a
 *       group is asked for, group bits only on files and directories of that group.</li>
 * </ul>
 * Anything else is refused with {@link UntrustedFileException} naming the path and the problem.
 * Whatever procsync creates, it creates so that it passes: directories and files get exactly the
 * asked mode ({@code fchmod}, so the umask neither widens nor narrows it) and the asked group.
 */
public final class FileTrust {
    /** No group sharing: only the current user's own files are trusted. */
    public static final int NO_GROUP = -1;

    private static final int PERMISSIONS = 0777;
    private static final int SPECIAL = 07000;

    private final int uid;
    private final int group;
    private final int fileMode;

    private FileTrust(int uid, int group, int fileMode) {
        this.uid = uid;
        this.group = group;
        this.fileMode = fileMode;
    }

    /**
     * The rule for the current effective user.
     *
     * @param fileMode the mode of segment files, within 0777 and including owner read and write
     * @param group    the group to share with, or {@link #NO_GROUP}
     * @return the rule
     */
    public static FileTrust of(int fileMode, int group) {
        if ((fileMode & ~PERMISSIONS) != 0 || (fileMode & 0600) != 0600) {
            throw new IllegalArgumentException("file mode must be within 0777 and include owner rw (0600): 0"
                    + Integer.toOctalString(fileMode));
        }
        if (group < NO_GROUP) {
            throw new IllegalArgumentException("group must be a gid (0 or more) or NO_GROUP: " + group);
        }
        return new FileTrust(currentUid(), group, fileMode);
    }

    /** The effective user id of this process: the owner every trusted file must have. */
    public static int currentUid() {
        return Libc.geteuid();
    }

    /** The mode of segment files. */
    public int fileMode() {
        return fileMode;
    }

    /** The mode of directories: the file mode plus search permission wherever it grants any access. */
    public int directoryMode() {
        int mode = fileMode | 0700;
        if ((mode & 0060) != 0) {
            mode |= 0010;
        }
        if ((mode & 0006) != 0) {
            mode |= 0001;
        }
        return mode;
    }

    /** The group shared with, or {@link #NO_GROUP}. */
    public int group() {
        return group;
    }

    /** Checks a directory opened with {@code O_DIRECTORY|O_NOFOLLOW}. */
    FileStat checkDirectory(int fd, Path path) {
        FileStat st = FileStat.of(fd, path);
        if (st.type() != Libc.S_IFDIR) {
            throw new UntrustedFileException(path + ": refused: not a directory");
        }
        check(st, path, directoryMode(), "directory");
        return st;
    }

    /** Checks a segment file opened with {@code O_NOFOLLOW}. */
    FileStat checkFile(int fd, Path path) {
        FileStat st = FileStat.of(fd, path);
        if (st.type() != Libc.S_IFREG) {
            throw new UntrustedFileException(path + ": refused: not a regular file");
        }
        if ((st.mode & SPECIAL) != 0) {
            throw new UntrustedFileException(path + ": refused: set-id or sticky bits (mode 0"
                    + Integer.toOctalString(st.mode & 07777) + ")");
        }
        check(st, path, fileMode, "file");
        return st;
    }

    private void check(FileStat st, Path path, int allowed, String what) {
        int mode = st.mode & PERMISSIONS;
        boolean groupMember = group != NO_GROUP && st.gid == group;
        if (st.uid != uid && !groupMember) {
            throw new UntrustedFileException(path + ": refused: owned by uid " + st.uid + ", not by this user (uid "
                    + uid + ")" + (group == NO_GROUP ? "" : " and not of the shared group (gid " + group + ")")
                    + "; procsync uses only its own user's files (or a group's it was told to share with)");
        }
        if ((mode & ~allowed) != 0) {
            throw new UntrustedFileException(path + ": refused: " + what + " mode 0" + Integer.toOctalString(mode)
                    + " is wider than the 0" + Integer.toOctalString(allowed)
                    + " this namespace allows (anyone it lets write could tamper with the primitives)");
        }
        if (group != NO_GROUP && (mode & 0070) != 0 && !groupMember) {
            throw new UntrustedFileException(path + ": refused: " + what + " grants group access to gid " + st.gid
                    + ", not to the shared group (gid " + group + ")");
        }
    }

    /** Gives something this process just created exactly the asked mode and group. */
    void adopt(int fd, int mode, Path path) {
        try {
            Libc.fchmod(fd, mode);
            if (group != NO_GROUP) {
                Libc.fchown(fd, -1, group);
            }
        } catch (LastErrorException e) {
            throw new ProcsyncException("cannot set mode 0" + Integer.toOctalString(mode)
                    + (group == NO_GROUP ? "" : " and group " + group) + " on " + path + ": "
                    + Libc.strerror(e.getErrorCode()) + (group == NO_GROUP ? "" : " (is this user in that group?)"), e);
        }
    }

    @Override
    public String toString() {
        return "FileTrust[uid " + uid + (group == NO_GROUP ? "" : ", group " + group) + ", files 0"
                + Integer.toOctalString(fileMode) + ", directories 0" + Integer.toOctalString(directoryMode()) + "]";
    }
}

package dev.procsync.segment;

import com.sun.jna.LastErrorException;
import dev.procsync.ProcsyncException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/** What {@code statx(2)} says about an open file descriptor: type, permissions, owner, identity, size. */
final class FileStat {
    final int mode;
    final int uid;
    final int gid;
    final long ino;
    final long dev;
    final long size;

    private FileStat(byte[] statx) {
        ByteBuffer b = ByteBuffer.wrap(statx).order(ByteOrder.nativeOrder());
        mode = b.getShort(Libc.STATX_MODE) & 0xffff;
        uid = b.getInt(Libc.STATX_UID);
        gid = b.getInt(Libc.STATX_GID);
        ino = b.getLong(Libc.STATX_INO);
        size = b.getLong(Libc.STATX_SIZE);
        dev = ((long) b.getInt(Libc.STATX_DEV_MAJOR) << 32) | (b.getInt(Libc.STATX_DEV_MINOR) & 0xffff_ffffL);
    }

    /** The file an open descriptor refers to (not any path to it). */
    static FileStat of(int fd, Path path) {
        byte[] buffer = new byte[Libc.STATX_LENGTH];
        try {
            Libc.statx(fd, "", Libc.AT_EMPTY_PATH, Libc.STATX_BASIC_STATS, buffer);
        } catch (LastErrorException e) {
            throw new ProcsyncException("cannot stat " + path + ": " + Libc.strerror(e.getErrorCode()), e);
        }
        return new FileStat(buffer);
    }

    /** The entry {@code name} of an open directory itself, a link not followed; {@code null} if it is absent. */
    static @org.jspecify.annotations.Nullable FileStat ofEntry(int dirfd, String name, Path path) {
        byte[] buffer = new byte[Libc.STATX_LENGTH];
        try {
            Libc.statx(dirfd, name, Libc.AT_SYMLINK_NOFOLLOW, Libc.STATX_BASIC_STATS, buffer);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Libc.ENOENT) {
                return null;
            }
            throw new ProcsyncException("cannot stat " + path + ": " + Libc.strerror(e.getErrorCode()), e);
        }
        return new FileStat(buffer);
    }

    int type() {
        return mode & Libc.S_IFMT;
    }

    boolean sameFile(FileStat other) {
        return ino == other.ino && dev == other.dev;
    }
}

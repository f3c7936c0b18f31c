package dev.procsync.segment;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * The libc calls that create, size and map segment files, bound by JNA direct mapping and mirroring
 * {@code <fcntl.h>}, {@code <unistd.h>} and {@code <sys/mman.h>} on 64-bit Linux.
 *
 * <p>errno contract (open(2), posix_fallocate(3), mmap(2), statx(2), unlinkat(2)):
 * <pre>
 * open, openat     -1/errno   EEXIST with O_EXCL, ENOENT, EACCES, ENOSPC, EMFILE;
 *                             ELOOP with O_NOFOLLOW on a symbolic link; ENOTDIR with O_DIRECTORY
 * mkdirat          -1/errno   EEXIST, EACCES, ENOENT
 * unlinkat         -1/errno   ENOENT, EISDIR (a directory without AT_REMOVEDIR), ENOTEMPTY
 * linkat           -1/errno   EEXIST
 * statx            -1/errno   (glibc 2.28, Linux 4.11) fills a 256-byte struct statx
 * posix_fallocate  returns the error number itself (does not set errno): ENOSPC, EFBIG, EINTR
 * mmap             MAP_FAILED (-1)/errno  ENOMEM, EACCES, EINVAL
 * munmap, close, fchmod, fchown, ftruncate  -1/errno
 * </pre>
 * {@code O_DIRECTORY} and {@code O_NOFOLLOW} differ between x86-64 and AArch64; everything else
 * here is the same on both.
 */
final class Libc {
    static final int O_RDONLY = 0x0;            // open for reading
    static final int O_RDWR = 0x2;              // open for reading and writing
    static final int O_CREAT = 0x40;            // create if missing
    static final int O_EXCL = 0x80;             // with O_CREAT: fail with EEXIST if it exists
    static final int O_CLOEXEC = 0x80000;       // not inherited by exec'd children
    private static final boolean X86_64 = Platform.isIntel() && Platform.is64Bit();
    static final int O_DIRECTORY = X86_64 ? 0x10000 : 0x4000;  // fail with ENOTDIR unless a directory
    static final int O_NOFOLLOW = X86_64 ? 0x20000 : 0x8000;   // fail with ELOOP if the last component is a link
    static final int O_NONBLOCK = 0x800;        // never wait opening a FIFO someone planted

    static final int AT_REMOVEDIR = 0x200;      // unlinkat: remove an (empty) directory
    static final int AT_SYMLINK_NOFOLLOW = 0x100; // statx: describe a link, not its target
    static final int AT_EMPTY_PATH = 0x1000;    // statx: describe dirfd itself

    static final int STATX_BASIC_STATS = 0x7ff;
    static final int STATX_LENGTH = 256;        // sizeof(struct statx)
    static final int STATX_UID = 20;            // __u32 stx_uid
    static final int STATX_GID = 24;            // __u32 stx_gid
    static final int STATX_MODE = 28;           // __u16 stx_mode: type and permission bits
    static final int STATX_INO = 32;            // __u64 stx_ino
    static final int STATX_SIZE = 40;           // __u64 stx_size
    static final int STATX_DEV_MAJOR = 136;     // __u32 stx_dev_major
    static final int STATX_DEV_MINOR = 140;     // __u32 stx_dev_minor

    static final int S_IFMT = 0170000;
    static final int S_IFDIR = 0040000;
    static final int S_IFREG = 0100000;
    static final int S_IFLNK = 0120000;

    static final int PROT_READ = 0x1;
    static final int PROT_WRITE = 0x2;
    static final int MAP_SHARED = 0x01;         // stores reach the file and every other mapping
    static final int MAP_PRIVATE = 0x02;
    static final int MAP_FIXED = 0x10;          // replace whatever is mapped at addr
    static final int MAP_ANONYMOUS = 0x20;
    static final long MAP_FAILED = -1L;

    static final int SEEK_END = 2;

    static final int ENOENT = 2;
    static final int EINTR = 4;
    static final int EACCES = 13;
    static final int EEXIST = 17;
    static final int ENOTDIR = 20;
    static final int EISDIR = 21;
    static final int ELOOP = 40;
    static final int ENOSPC = 28;

    static {
        if (!Platform.isLinux() || !Platform.is64Bit()) {
            throw new UnsatisfiedLinkError("procsync needs 64-bit Linux; this is " + System.getProperty("os.name")
                    + " " + System.getProperty("os.arch"));
        }
        Native.register(Libc.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    private Libc() {
    }

    static native int openat(int dirfd, String path, int flags, int mode) throws LastErrorException;

    static native int mkdirat(int dirfd, String path, int mode) throws LastErrorException;

    static native int unlinkat(int dirfd, String path, int flags) throws LastErrorException;

    static native int linkat(int oldDirfd, String oldPath, int newDirfd, String newPath, int flags)
            throws LastErrorException;

    static native int statx(int dirfd, String path, int flags, int mask, byte[] statx) throws LastErrorException;

    static native int fchown(int fd, int owner, int group) throws LastErrorException;

    static native int geteuid();

    static native int close(int fd) throws LastErrorException;

    static native int fchmod(int fd, int mode) throws LastErrorException;

    /** Returns 0 or an error number; errno is not set. */
    static native int posix_fallocate(int fd, long offset, long length);

    static native long lseek(int fd, long offset, int whence) throws LastErrorException;

    static native long mmap(long addr, long length, int prot, int flags, int fd, long offset)
            throws LastErrorException;

    static native int munmap(long addr, long length) throws LastErrorException;

    static native String strerror(int errno);
}

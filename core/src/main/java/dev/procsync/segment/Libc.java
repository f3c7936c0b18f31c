package dev.procsync.segment;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * The libc calls that create, size and map segment files, bound by JNA direct mapping and mirroring
 * {@code <fcntl.h>}, {@code <unistd.h>} and {@code <sys/mman.h>} on 64-bit Linux.
 *
 * <p>errno contract (open(2), posix_fallocate(3), mmap(2)):
 * <pre>
 * open             -1/errno   EEXIST with O_EXCL, ENOENT, EACCES, ENOSPC, EMFILE
 * posix_fallocate  returns the error number itself (does not set errno): ENOSPC, EFBIG, EINTR
 * mmap             MAP_FAILED (-1)/errno  ENOMEM, EACCES, EINVAL
 * munmap, close, fchmod, ftruncate  -1/errno
 * </pre>
 */
final class Libc {
    static final int O_RDWR = 0x2;              // open for reading and writing
    static final int O_CREAT = 0x40;            // create if missing
    static final int O_EXCL = 0x80;             // with O_CREAT: fail with EEXIST if it exists
    static final int O_CLOEXEC = 0x80000;       // not inherited by exec'd children

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

    static native int open(String path, int flags, int mode) throws LastErrorException;

    static native int close(int fd) throws LastErrorException;

    static native int fchmod(int fd, int mode) throws LastErrorException;

    /** Returns 0 or an error number; errno is not set. */
    static native int posix_fallocate(int fd, long offset, long length);

    static native long lseek(int fd, long offset, int whence) throws LastErrorException;

    static native long mmap(long addr, long length, int prot, int flags, int fd, long offset)
            throws LastErrorException;

    static native int munmap(long addr, long length) throws LastErrorException;

    static native int link(String oldPath, String newPath) throws LastErrorException;

    static native String strerror(int errno);
}

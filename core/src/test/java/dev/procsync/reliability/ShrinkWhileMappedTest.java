package dev.procsync.reliability;

import dev.procsync.layout.HeaderLayout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.InvalidSegmentException;
import dev.procsync.Namespace;
import dev.procsync.process.ChildProcess;
import dev.procsync.sync.Lock;
import dev.procsync.testing.Children;
import dev.procsync.testing.TempRoot;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A segment file shrunk (ftruncate) by the test while a child JVM has it mapped and keeps using it.
 * The child must end with an exception, never SIGBUS; and any later open of the file must say it is
 * truncated. See docs/RELIABILITY.md for what the JVM does and what procsync can and cannot convert.
 */
class ShrinkWhileMappedTest {
    private final TempRoot root = new TempRoot();
    private final Namespace ns = root.open("shrink");

    @AfterEach
    void cleanUp() {
        ns.close();
        root.close();
    }

    /** Child: warms the lock paths up (so they are JIT-compiled), says READY, then loops until a failure. */
    public static final class Looper {
        public static void main(String[] args) throws Exception {
            Namespace ns = TempRoot.openFromArgs(args);
            Lock lock = ns.lock("l");
            boolean blocking = "blocking".equals(args[2]);
            for (int i = 0; i < 200_000; i++) {
                if (lock.tryAcquire()) {
                    lock.release();
                }
            }
            System.out.println("READY");
            long rounds = 0;
            try {
                while (true) {
                    if (blocking) {
                        lock.acquire(); // the parent holds it: sleeps in bounded slices
                        lock.release();
                    } else if (lock.tryAcquire()) {
                        lock.release();
                    }
                    if ((++rounds & 1023) == 0 && lock.tryAcquire(Duration.ofMillis(1))) {
                        lock.release();
                    }
                }
            } catch (Throwable t) {
                System.out.println("FAILED " + t.getClass().getName() + "|" + t.getMessage());
                if (t instanceof InternalError) {
                    t.printStackTrace(System.out);
                }
            }
            try {
                ns.lock("l").close();
                System.out.println("REOPEN opened");
            } catch (Throwable t) {
                System.out.println("REOPEN " + t.getClass().getName() + "|" + t.getMessage());
            }
        }
    }

    @Test
    void shouldFailWithExceptionNotCrashWhenFileIsTruncatedUnderASpinningUser() throws Exception {
        shrinkUnder("spinning", false);
    }

    @Test
    void shouldFailWithExceptionNamingTheFileWhenFileIsTruncatedUnderABlockedWaiter() throws Exception {
        shrinkUnder("blocking", true);
    }

    private void shrinkUnder(String mode, boolean parentHolds) throws Exception {
        Lock lock = ns.lock("l");
        Path file = lock.segment().path();
        if (parentHolds) {
            lock.acquire();
        }
        try (Children children = new Children()) {
            ChildProcess child = children.start(Looper.class, root.childArgs("shrink", mode));
            child.awaitLine("READY"::equals, Children.JOIN);
            if (parentHolds) {
                // Truncate only once the child sleeps on the word (it set the sleepers bit, 1 << 30).
                long deadline = System.nanoTime() + Children.JOIN.toNanos();
                while ((lock.segment().getIntAcquire(HeaderLayout.LENGTH) & (1 << 30)) == 0) {
                    assertTrue(System.nanoTime() < deadline, "child never went to sleep on the lock");
                    Thread.onSpinWait();
                }
            } else {
                Thread.sleep(50); // not a handshake: just lets the spinning child run a while before the cut
            }
            lock.close(); // this process must not touch the pages either
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.setLength(0);
            }
            int code = child.joinExitCode(Children.JOIN);
            String out = child.output();
            assertEquals(0, code, () -> "child crashed (exit " + code + ") instead of throwing:\n" + out);
            String failed = child.awaitLine(l -> l.startsWith("FAILED "), Duration.ofSeconds(1));
            String reopen = child.awaitLine(l -> l.startsWith("REOPEN "), Duration.ofSeconds(1));
            System.out.println("[reliability] shrink under " + mode + " child on " + Runtime.version() + ": " + failed);
            if (parentHolds) {
                // Blocked waiters check the file's size around every futex sleep: always the clear exception.
                assertTrue(failed.startsWith("FAILED " + InvalidSegmentException.class.getName()), out);
            } else {
                // Spinning in JIT-compiled code: HotSpot reports the fault as InternalError, converted by the
                // accessor when it surfaces inside it; JDK 17 delivers it asynchronously, possibly outside.
                assertTrue(failed.startsWith("FAILED " + InvalidSegmentException.class.getName())
                        || failed.startsWith("FAILED java.lang.InternalError|a fault occurred in")
                        && failed.contains("unsafe memory access"), out);
            }
            if (failed.startsWith("FAILED " + InvalidSegmentException.class.getName())) {
                assertTrue(failed.contains(file.toString()) && failed.contains("truncated while mapped"), failed);
            }
            assertTrue(reopen.startsWith("REOPEN " + InvalidSegmentException.class.getName())
                    && reopen.contains(file.toString()) && reopen.contains("shorter than the 128-byte header"), reopen);
        }
    }
}

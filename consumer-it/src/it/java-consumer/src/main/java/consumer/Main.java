package consumer;

import dev.procsync.Namespace;
import dev.procsync.NamespaceOptions;
import dev.procsync.Procsync;
import dev.procsync.codec.Codec;
import dev.procsync.codec.Codecs;
import dev.procsync.data.SharedLong;
import dev.procsync.process.ChildProcess;
import dev.procsync.sync.Event;
import dev.procsync.sync.Lock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A user's program: it holds a lock while a child JVM waits for it, then lets the child through.
 * Exits non-zero (failing the consumer build) if anything is not as documented.
 */
public final class Main {
    public record Order(String id, int quantity) {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("child")) {
            child(Path.of(args[1]));
            return;
        }
        Codec<Order> json = Codecs.json(Order.class, "order");
        Order order = new Order("o-1", 2);
        check(json.id().equals("json:order"), "JSON codec id " + json.id());
        check(json.decode(ByteBuffer.wrap(json.encode(order))).equals(order), "JSON round trip through Jackson 3");

        Path root = Files.createTempDirectory(Path.of(Files.isDirectory(Path.of("/dev/shm")) ? "/dev/shm" : "/tmp"),
                "procsync-consumer-");
        try (Namespace ns = Procsync.open("consumer", NamespaceOptions.defaults().withRoot(root));
                Lock lock = ns.lock("db");
                Event waiting = ns.event("child-waiting");
                SharedLong passed = ns.sharedLong("passed")) {
            lock.acquire();
            try (ChildProcess child = ChildProcess.start(Main.class, "child", root.toString())) {
                check(waiting.await(Duration.ofSeconds(60)), "child never started waiting");
                check(passed.get() == 0, "child got past a lock this process holds");
                lock.release();
                check(child.joinExitCode(Duration.ofSeconds(60)) == 0, "child failed: " + child.output());
                check(passed.get() == 1, "child did not pass the lock once released");
            }
        } finally {
            try (Stream<Path> files = Files.walk(root)) {
                files.sorted(Comparator.reverseOrder()).forEach(Main::delete);
            }
        }
        System.out.println("java consumer: cross-process lock OK");
    }

    private static void child(Path root) throws InterruptedException {
        try (Namespace ns = Procsync.open("consumer", NamespaceOptions.defaults().withRoot(root));
                Lock lock = ns.lock("db");
                Event waiting = ns.event("child-waiting");
                SharedLong passed = ns.sharedLong("passed")) {
            check(!lock.tryAcquire(), "lock free while the parent holds it");
            waiting.set();
            check(lock.tryAcquire(Duration.ofSeconds(60)), "lock never released by the parent");
            passed.incrementAndGet();
            lock.release();
        }
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError(what);
        }
    }

    private static void delete(Path p) {
        try {
            Files.delete(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

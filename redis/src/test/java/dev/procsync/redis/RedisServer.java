package dev.procsync.redis;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} for one test class: 127.0.0.1, a free port, a temporary directory,
 * no persistence; stopped (and its directory removed) by {@link #close()}. A missing binary fails
 * the test with how to install it.
 */
public final class RedisServer implements AutoCloseable {
    private static final Duration START = Duration.ofSeconds(20);

    private final Path dir;
    private final int port;
    private Process process;

    private RedisServer(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** Starts a server on a free port. */
    public static RedisServer start() {
        try {
            Path dir = Files.createTempDirectory("procsync-redis-");
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            RedisServer server = new RedisServer(dir, port);
            server.launch();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String binary() {
        for (String candidate : List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server")) {
            if (new File(candidate).canExecute()) {
                return candidate;
            }
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(File.pathSeparator)) {
                File f = new File(d, "redis-server");
                if (f.canExecute()) {
                    return f.getPath();
                }
            }
        }
        throw new AssertionError("redis-server not found: the Redis backend's tests need a real server. Install it "
                + "with `apt-get update && apt-get install -y redis-server` (Debian/Ubuntu; .ci/run does this)");
    }

    /** Starts (or restarts, after {@link #stop()}) the server on the same port and directory. */
    public void launch() {
        try {
            process = new ProcessBuilder(binary(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--dir", dir.toString(), "--save", "", "--appendonly", "no", "--daemonize", "no",
                    "--protected-mode", "no")
                    .redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            CompletableFuture<Void> ready = new CompletableFuture<>();
            Thread reader = new Thread(() -> {
                try {
                    for (String line; (line = out.readLine()) != null;) {
                        if (line.contains("Ready to accept connections")) {
                            ready.complete(null);
                        }
                    }
                    ready.completeExceptionally(new IllegalStateException("redis-server exited before it was ready"));
                } catch (IOException e) {
                    ready.completeExceptionally(e);
                }
            }, "redis-server-output-" + port);
            reader.setDaemon(true);
            reader.start();
            ready.get(START.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            stop();
            throw new IllegalStateException("could not start redis-server on port " + port, e);
        }
    }

    /** The server's URL. */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Stops the server (kill -9: what a crash or a power cut does). */
    public void stop() {
        Process p = process;
        if (p != null) {
            p.destroyForcibly();
            try {
                p.waitFor(START.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        stop();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

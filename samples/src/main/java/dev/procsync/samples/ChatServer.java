package dev.procsync.samples;

import dev.procsync.sync.Event;
import dev.procsync.sync.Semaphore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Seed scenario 9, the multi-process TCP chat: several worker JVMs serve one port on 127.0.0.1.
 * Each binds it with {@code SO_REUSEPORT}, so the kernel spreads incoming connections over them
 * (Python's server forks a process per connection; a JVM cannot fork, so the workers start first).
 * They coordinate through procsync:
 * <ul>
 *   <li>a {@link Semaphore} bounds concurrent chat sessions across all workers; a connection that
 *       cannot get a permit within a short wait is told the server is busy and closed;
 *   <li>an {@link Event} tells every worker to shut down.
 * </ul>
 * A worker greets each connection, then answers every line it receives.
 *
 * <pre>
 * samples/run.sh chat [workers] [max-sessions] [port]
 * </pre>
 */
public final class ChatServer {
    /** How long a new connection waits for a session permit before it is turned away. */
    static final Duration ADMISSION = Duration.ofMillis(300);

    private ChatServer() {
    }

    public static void main(String[] args) throws Exception {
        int workers = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int sessions = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int port = args.length > 2 ? Integer.parseInt(args[2]) : 9595;
        if (port == 0) {
            port = freePort();
        }
        try (Sample sample = Sample.start("chat")) {
            startWorkers(sample, workers, sessions, port);
            // The client side of the tutorial: people connect and chat; one more than the
            // sessions allowed connect at the same time, so the last of them is turned away.
            List<ChatClient> people = new ArrayList<>();
            try {
                for (int person = 1; person <= sessions + 1; person++) {
                    ChatClient client = ChatClient.connect(port);
                    people.add(client);
                    sample.say("person " + person + " got: " + client.greeting());
                }
                for (int person = 1; person <= sessions; person++) {
                    sample.say("person " + person + " got: " + people.get(person - 1).say("hello from " + person));
                }
            } finally {
                for (ChatClient c : people) {
                    c.close();
                }
            }
            stop(sample);
        }
    }

    /**
     * Starts the workers and waits until every one listens on {@code port}.
     *
     * @param sample   the stage
     * @param workers  how many worker processes
     * @param sessions concurrent sessions allowed across all workers
     * @param port     the port to share
     * @throws Exception if a worker fails to start
     */
    public static void startWorkers(Sample sample, int workers, int sessions, int port) throws Exception {
        // Created here with its permit count, so that every worker opens the same semaphore.
        sample.ns().semaphore("sessions", sessions).close();
        StartGate listening = StartGate.open(sample.ns(), "listening");
        for (int i = 1; i <= workers; i++) {
            sample.spawn(Worker.class, "worker-" + i, Integer.toString(port), Integer.toString(sessions));
        }
        listening.awaitArrivals(workers);
        listening.open();
        sample.say(workers + " workers serve 127.0.0.1:" + port + ", at most " + sessions + " sessions at once");
    }

    /**
     * Sets the shutdown event and waits for every worker to finish.
     *
     * @param sample the stage
     * @throws Exception if a worker fails
     */
    public static void stop(Sample sample) throws Exception {
        try (Event shutdown = sample.ns().event("shutdown")) {
            sample.say("setting the shutdown event");
            shutdown.set();
        }
        sample.joinAll();
    }

    /** A port that is free now, for tests. @return the port */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** One worker process: accepts connections on the shared port until the shutdown event. */
    public static final class Worker {
        private Worker() {
        }

        public static void main(String[] args) throws Exception {
            try (Sample me = Sample.child(args);
                    Semaphore sessions = me.ns().semaphore("sessions", Integer.parseInt(me.args()[1]));
                    Event shutdown = me.ns().event("shutdown")) {
                ServerSocketChannel server = ServerSocketChannel.open();
                int port = Integer.parseInt(me.args()[0]);
                server.setOption(StandardSocketOptions.SO_REUSEPORT, true);
                server.bind(new InetSocketAddress("127.0.0.1", port));
                me.say("listening on 127.0.0.1:" + port);
                StartGate.open(me.ns(), "listening").arriveAndAwaitOpen();

                // The shutdown event closes the listening socket, which ends the accept loop below.
                Thread stopper = new Thread(() -> {
                    try {
                        shutdown.await();
                        me.say("shutdown event seen, closing");
                        server.close();
                    } catch (InterruptedException | IOException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "shutdown-watcher");
                stopper.setDaemon(true);
                stopper.start();

                List<Thread> open = new ArrayList<>();
                while (!shutdown.isSet()) {
                    SocketChannel connection;
                    try {
                        connection = server.accept();
                    } catch (IOException closed) {
                        break;
                    }
                    Thread t = new Thread(() -> serve(me, sessions, shutdown, connection), "session");
                    open.add(t);
                    t.setDaemon(true);
                    t.start();
                }
                server.close();
                for (Thread t : open) {
                    t.join(Sample.PATIENCE.toMillis());
                }
                stopper.join(Sample.PATIENCE.toMillis());
            }
        }

        private static void serve(Sample me, Semaphore sessions, Event shutdown, SocketChannel connection) {
            try (Socket socket = connection.socket();
                    BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(connection),
                            StandardCharsets.UTF_8));
                    PrintWriter out = new PrintWriter(Channels.newOutputStream(connection), true,
                            StandardCharsets.UTF_8)) {
                if (!sessions.tryAcquire(ADMISSION)) {
                    out.println("busy: all sessions taken, try later");
                    me.say("turned a connection away: all sessions taken");
                    return;
                }
                try {
                    Tally.open(me.ns(), "max-sessions").max(Tally.open(me.ns(), "in-session").add(1));
                    out.println("welcome, " + me.role() + " (pid " + ProcessHandle.current().pid() + ") is listening");
                    socket.setSoTimeout(100); // so that the shutdown event is noticed while a client is quiet
                    while (!shutdown.isSet()) {
                        String line;
                        try {
                            line = in.readLine();
                        } catch (java.net.SocketTimeoutException quiet) {
                            continue;
                        }
                        if (line == null) {
                            break;
                        }
                        me.say("got '" + line + "'");
                        out.println(me.role() + " heard: " + line);
                    }
                } finally {
                    Tally.open(me.ns(), "in-session").add(-1);
                    sessions.release();
                }
            } catch (IOException | InterruptedException e) {
                me.say("session ended: " + e);
            }
        }
    }
}

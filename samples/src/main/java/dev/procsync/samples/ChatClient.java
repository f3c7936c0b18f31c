package dev.procsync.samples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** The chat's client: connects, reads the greeting, and trades lines with a worker. */
public final class ChatClient implements AutoCloseable {
    private final Socket socket;
    private final BufferedReader in;
    private final PrintWriter out;
    private final String greeting;

    private ChatClient(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout((int) Sample.PATIENCE.toMillis());
        this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        this.out = new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8);
        this.greeting = in.readLine();
    }

    /**
     * Connects to 127.0.0.1:{@code port} and reads the greeting (or the refusal).
     *
     * @param port the chat's port
     * @return the connected client
     * @throws IOException if the connection fails
     */
    public static ChatClient connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), (int) Sample.PATIENCE.toMillis());
        return new ChatClient(s);
    }

    /** The first line the server sent: a welcome, or "busy: ...". */
    public String greeting() {
        return greeting;
    }

    /**
     * Sends a line and reads the answer.
     *
     * @param line what to say
     * @return the worker's answer, or {@code null} if it closed the connection
     * @throws IOException if the connection fails
     */
    public String say(String line) throws IOException {
        out.println(line);
        return in.readLine();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

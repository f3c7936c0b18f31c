package dev.procsync.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.testing.TempRoot;
import org.junit.jupiter.api.Test;

class ChatServerTest {
    @Test
    void shouldServeOnePortFromSeveralProcessesWithinTheSessionBound() throws Exception {
        try (TempRoot root = new TempRoot(); Sample sample = Sample.captured("chat", root.path())) {
            int port = ChatServer.freePort();
            ChatServer.startWorkers(sample, 2, 2, port);

            try (ChatClient a = ChatClient.connect(port); ChatClient b = ChatClient.connect(port)) {
                assertTrue(a.greeting().startsWith("welcome"), a.greeting());
                assertTrue(b.greeting().startsWith("welcome"), b.greeting());
                assertTrue(a.say("hello").endsWith(" heard: hello"));
                assertTrue(b.say("hi there").endsWith(" heard: hi there"));

                // Both sessions are taken, wherever the kernel sent them: a third is turned away.
                try (ChatClient c = ChatClient.connect(port)) {
                    assertTrue(c.greeting().startsWith("busy"), c.greeting());
                }
            }

            // The sessions ended; a newcomer is served again (its worker may still be releasing: retry, bounded).
            String greeting = "";
            for (int attempt = 0; attempt < 50 && !greeting.startsWith("welcome"); attempt++) {
                try (ChatClient d = ChatClient.connect(port)) {
                    greeting = d.greeting();
                    if (greeting.startsWith("welcome")) {
                        assertTrue(d.say("back again").endsWith(" heard: back again"));
                    }
                }
            }
            assertTrue(greeting.startsWith("welcome"), greeting);
            assertEquals(2, Tally.open(sample.ns(), "max-sessions").get(), "most sessions open at once");

            ChatServer.stop(sample); // the shutdown event ends every worker; stop() checks they exit 0
        }
    }
}

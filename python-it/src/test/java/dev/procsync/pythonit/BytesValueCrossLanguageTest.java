package dev.procsync.pythonit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.procsync.Namespace;
import dev.procsync.data.SharedBytes;
import dev.procsync.pythonit.Python.Backend;
import dev.procsync.pythonit.Python.Peer;
import dev.procsync.testing.TempRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A bytes Value (the JVM's SharedBytes) written in one language and read in the other. */
class BytesValueCrossLanguageTest {
    private final TempRoot root = new TempRoot();
    private final Namespace ns = root.open("xbytes");

    @AfterEach
    void cleanUp() {
        ns.close();
        root.close();
    }

    @Test
    void shouldReadInEachLanguageWhatTheOtherWrote() throws Exception {
        for (Backend backend : Backend.values()) {
            Python.assumeBackend(backend);
            try (SharedBytes value = ns.sharedBytes("b", 64)) {
                value.setString("from the JVM: é " + backend);
                try (Peer reader = Python.peer(backend, root.path(), "xbytes", "bytes-get")) {
                    assertEquals("GOT from the JVM: é " + backend, reader.awaitLine("GOT", Python.JOIN));
                    reader.joinSuccessfully();
                }
                try (Peer writer = Python.peer(backend, root.path(), "xbytes", "bytes-set", "from Python " + backend)) {
                    writer.awaitLine("SET", Python.JOIN);
                    writer.joinSuccessfully();
                }
                assertEquals("from Python " + backend, value.getString());
                assertEquals(("from Python " + backend).length(), value.length());
            }
        }
    }
}

package dev.procsync.reactive.shm;

import dev.procsync.Namespace;
import dev.procsync.channel.Codecs;
import dev.procsync.channel.Connection;
import dev.procsync.channel.Pipe;
import dev.procsync.reactive.ReactiveConnection;
import dev.procsync.reactive.ReactivePipe;
import dev.procsync.reactive.conformance.ReactiveConnectionContract;
import dev.procsync.reactive.testing.Ns;
import dev.procsync.testing.Children;
import dev.procsync.testing.TempRoot;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

class ShmConnectionTest extends ReactiveConnectionContract {
    private final Ns ns = new Ns("rxpipe");

    @Override
    protected ReactivePipe<String> open(String name) {
        return ns.rx.pipe(name, true, Codecs.utf8());
    }

    @Override
    protected void tearDown() {
        ns.close();
    }

    /** Child (blocking API): sends "m0".."m9" from the second end of "x" and closes it. */
    public static final class Sender {
        public static void main(String[] args) throws Exception {
            try (Namespace ns = TempRoot.openFromArgs(args); Connection<String> end = Pipe.end(ns, "x", Pipe.End.B,
                    false, Pipe.DEFAULT_CAPACITY, Codecs.utf8())) {
                for (int i = 0; i < 10; i++) {
                    end.send("m" + i);
                }
            }
        }
    }

    @Test
    void shouldReceiveWhatAnotherProcessSendsUntilItCloses() throws Exception {
        try (Children children = new Children();
                ReactiveConnection<String> reader = ns.rx.connection("x", true, false, Codecs.utf8())) {
            children.start(Sender.class, ns.root.childArgs("rxpipe"));
            StepVerifier.create(reader.receive().collectList())
                    .assertNext(l -> org.junit.jupiter.api.Assertions.assertEquals(
                            List.of("m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9"), l))
                    .expectComplete()
                    .verify(Children.JOIN);
            children.joinAllSuccessfully();
        }
    }
}

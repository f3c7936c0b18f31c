package dev.procsync.reactive.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.procsync.Namespace;
import dev.procsync.codec.Codecs;
import dev.procsync.channel.Queue;
import dev.procsync.channel.QueueCapacity;
import dev.procsync.channel.SimpleQueue;
import dev.procsync.reactive.QueueBound;
import dev.procsync.reactive.ReactiveQueue;
import dev.procsync.reactive.testing.Ns;
import dev.procsync.testing.Children;
import dev.procsync.testing.TempRoot;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

class ShmQueueCrossProcessTest {
    private static final int MESSAGES = 500;

    private final Ns ns = new Ns("xrxqueue");

    @AfterEach
    void cleanUp() {
        ns.close();
    }

    /** Child (blocking API): puts MESSAGES numbered messages into "q" (capacity 8: it blocks often). */
    public static final class Producer {
        public static void main(String[] args) throws Exception {
            try (Namespace ns = TempRoot.openFromArgs(args);
                    Queue<String> q = ns.queue("q", Codecs.utf8(), QueueCapacity.messages(8))) {
                for (int i = 0; i < MESSAGES; i++) {
                    q.put(Integer.toString(i));
                }
            }
        }
    }

    /** Child (blocking API): puts MESSAGES numbered messages into simple queue "sq", then reads "back" back. */
    public static final class SimpleProducer {
        public static void main(String[] args) throws Exception {
            try (Namespace ns = TempRoot.openFromArgs(args);
                    SimpleQueue<String> q = ns.simpleQueue("sq", Codecs.utf8());
                    SimpleQueue<String> back = ns.simpleQueue("back", Codecs.utf8())) {
                for (int i = 0; i < MESSAGES; i++) {
                    q.put(Integer.toString(i));
                }
                System.out.println("BACK " + back.get());
            }
        }
    }

    @Test
    void shouldExchangeMessagesWithABlockingSimpleQueueInAnotherProcess() throws Exception {
        try (Children children = new Children(); ReactiveQueue<String> q = ns.rx.simpleQueue("sq", Codecs.utf8());
                ReactiveQueue<String> back = ns.rx.simpleQueue("back", Codecs.utf8())) {
            var child = children.start(SimpleProducer.class, ns.root.childArgs("xrxqueue"));
            List<String> got = q.receive().take(MESSAGES).collectList().block(Children.JOIN);
            assertEquals(Flux.range(0, MESSAGES).map(String::valueOf).collectList().block(), got);
            back.send(Flux.just("done")).block(Children.JOIN);
            child.awaitLine("BACK done"::equals, Children.JOIN);
            children.joinAllSuccessfully();
        }
    }

    @Test
    void shouldReceiveEveryMessageAnotherProcessPutsInOrder() throws Exception {
        try (Children children = new Children();
                ReactiveQueue<String> q = ns.rx.queue("q", Codecs.utf8(), QueueBound.messages(8))) {
            children.start(Producer.class, ns.root.childArgs("xrxqueue"));
            List<String> got = q.receive().take(MESSAGES).collectList().block(Children.JOIN);
            List<String> expected = new ArrayList<>();
            Flux.range(0, MESSAGES).map(String::valueOf).subscribe(expected::add);
            assertEquals(expected, got);
            children.joinAllSuccessfully();
        }
    }
}

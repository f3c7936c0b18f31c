package dev.procsync.reactive.shm;

import dev.procsync.codec.Codecs;
import dev.procsync.reactive.QueueBound;
import dev.procsync.reactive.ReactiveQueue;
import dev.procsync.reactive.conformance.ReactiveQueueContract;
import dev.procsync.reactive.testing.Ns;

class ShmQueueTest extends ReactiveQueueContract {
    private final Ns ns = new Ns("rxqueue");

    @Override
    protected ReactiveQueue<String> open(String name, int capacity) {
        return ns.rx.queue(name, Codecs.utf8(), QueueBound.messages(capacity));
    }

    @Override
    protected void tearDown() {
        ns.close();
    }
}

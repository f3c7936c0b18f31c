package dev.procsync.reactive.shm;

import dev.procsync.codec.Codecs;
import dev.procsync.reactive.QueueBound;
import dev.procsync.reactive.ReactiveJoinableQueue;
import dev.procsync.reactive.conformance.ReactiveJoinableQueueContract;
import dev.procsync.reactive.testing.Ns;

class ShmJoinableQueueTest extends ReactiveJoinableQueueContract {
    private final Ns ns = new Ns("rxjq");

    @Override
    protected ReactiveJoinableQueue<String> open(String name, int capacity) {
        return ns.rx.joinableQueue(name, Codecs.utf8(), QueueBound.messages(capacity));
    }

    @Override
    protected void tearDown() {
        ns.close();
    }
}

package dev.procsync.samples;

import dev.procsync.codec.Codecs;
import dev.procsync.channel.Queue;
import dev.procsync.channel.QueueCapacity;
import dev.procsync.reactive.QueueBound;
import dev.procsync.reactive.ReactiveProcsync;
import dev.procsync.reactive.ReactiveQueue;
import dev.procsync.reactive.shm.ShmReactiveProcsync;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Beyond the seeds: a backpressured stream between JVMs. A fast producer process sends a
 * {@code Flux} into a queue of 8 messages; this process consumes it as a {@code Flux} slowly.
 * The queue's bound is the backpressure: {@code send} requests from the producer's Flux only as
 * the queue has room, and {@code receive} dequeues only against the consumer's demand, so the
 * producer can never run more than the queue's capacity (plus what is in hand) ahead, and no item
 * is lost or dropped.
 *
 * <pre>
 * samples/run.sh backpressure [items]
 * </pre>
 */
public final class BackpressuredStream {
    /** The queue's bound, in messages. */
    public static final int CAPACITY = 8;

    private BackpressuredStream() {
    }

    /** What the consumer saw: the items in order, and the producer's largest lead over it. */
    public record Result(List<Long> received, long largestLead, int largestQueueSize) {
    }

    public static void main(String[] args) throws Exception {
        int items = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        try (Sample sample = Sample.start("backpressure")) {
            Result r = run(sample, items, Duration.ofMillis(5));
            sample.say("received " + r.received().size() + " of " + items + " in order; the producer was never more "
                    + "than " + r.largestLead() + " items ahead; the queue held at most " + r.largestQueueSize());
        }
    }

    /**
     * Streams {@code items} numbers from a producer process to this one, consuming one per {@code pace}.
     *
     * @param sample the stage
     * @param items  how many
     * @param pace   how long the consumer takes per item
     * @return what the consumer saw
     * @throws Exception if the producer fails
     */
    public static Result run(Sample sample, int items, Duration pace) throws Exception {
        ReactiveProcsync rx = ShmReactiveProcsync.of(sample.ns());
        Tally sent = Tally.open(sample.ns(), "sent");
        try (ReactiveQueue<Long> numbers = rx.queue("numbers", Codecs.int64(), QueueBound.messages(CAPACITY));
                Queue<Long> inspect = sample.ns().queue("numbers", Codecs.int64(), QueueCapacity.messages(CAPACITY))) {
            sample.spawn(Producer.class, "producer", Integer.toString(items));
            long[] lead = {0};
            int[] depth = {0};
            List<Long> received = numbers.receive()
                    .concatMap(n -> Mono.delay(pace).thenReturn(n), 1) // the slow consumer
                    .take(items)
                    .index()
                    .doOnNext(t -> {
                        lead[0] = Math.max(lead[0], sent.get() - (t.getT1() + 1));
                        depth[0] = Math.max(depth[0], inspect.size());
                        if ((t.getT1() + 1) % 50 == 0) {
                            sample.say("consumed " + (t.getT1() + 1) + ", producer has sent " + sent.get()
                                    + ", queue holds " + inspect.size());
                        }
                    })
                    .map(t -> t.getT2())
                    .collectList()
                    .block(Sample.PATIENCE);
            sample.joinAll();
            return new Result(received == null ? new ArrayList<>() : received, lead[0], depth[0]);
        }
    }

    /** The fast producer: sends 0..items-1 as fast as the queue lets it. */
    public static final class Producer {
        private Producer() {
        }

        public static void main(String[] args) throws Exception {
            try (Sample me = Sample.child(args);
                    ReactiveQueue<Long> numbers = ShmReactiveProcsync.of(me.ns()).queue("numbers", Codecs.int64(),
                            QueueBound.messages(CAPACITY))) {
                int items = Integer.parseInt(me.args()[0]);
                Tally sent = Tally.open(me.ns(), "sent");
                long start = System.nanoTime();
                numbers.send(Flux.range(0, items).map(Long::valueOf).doOnNext(n -> sent.add(1)))
                        .block(Sample.PATIENCE);
                me.say("sent " + items + " items in " + (System.nanoTime() - start) / 1_000_000
                        + " ms: as fast as the consumer took them, not faster");
            }
        }
    }
}

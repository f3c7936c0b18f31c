package dev.procsync.samples;

import dev.procsync.codec.Codecs;
import dev.procsync.channel.JoinableQueue;
import dev.procsync.channel.Queue;
import dev.procsync.channel.QueueCapacity;
import dev.procsync.channel.QueueShutdownException;
import dev.procsync.data.SharedIntArray;
import dev.procsync.process.ChildProcess;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Seed scenario 7b, producers and consumers ("chefs" and "eaters" of buns) decoupled by a bounded
 * queue. The consumers must learn when to stop; two ways:
 * <ul>
 *   <li>{@code sentinel}: once the producers are done, the parent puts one end marker per
 *       consumer (Python's {@code q.put(None)}); a consumer stops when it gets one.
 *   <li>{@code joinable}: a {@link JoinableQueue}. Consumers call {@code taskDone()} after each
 *       bun; the parent's {@code join()} returns when every bun put was eaten, and then it shuts
 *       the queue down, which ends the consumers' {@code get()}. No sentinel needed.
 * </ul>
 * Every consumer counts what it ate in a shared array, so the parent can check that each bun was
 * eaten exactly once.
 *
 * <pre>
 * samples/run.sh producer-consumer [sentinel|joinable] [producers] [consumers] [buns-per-producer]
 * </pre>
 */
public final class ProducerConsumer {
    /** The end marker of the sentinel variant. */
    static final String END = "";

    private ProducerConsumer() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "sentinel";
        int producers = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int consumers = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int buns = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        try (Sample sample = Sample.start("producer-consumer")) {
            int[] eaten = run(sample, mode, producers, consumers, buns);
            sample.say("every bun eaten exactly once: " + Arrays.stream(eaten).allMatch(n -> n == 1));
        }
    }

    /**
     * Runs the producers and consumers.
     *
     * @param sample    the stage
     * @param mode      {@code sentinel} or {@code joinable}
     * @param producers how many producer processes
     * @param consumers how many consumer processes
     * @param buns      buns each producer makes
     * @return how often each bun was eaten, indexed by bun number
     * @throws Exception if a child fails
     */
    public static int[] run(Sample sample, String mode, int producers, int consumers, int buns) throws Exception {
        int total = producers * buns;
        // The queue holds at most 4 buns: producers wait when the eaters fall behind.
        try (Queue<String> q = mode.equals("joinable")
                ? sample.ns().joinableQueue("buns", Codecs.utf8(), QueueCapacity.messages(4))
                : sample.ns().queue("buns", Codecs.utf8(), QueueCapacity.messages(4));
                SharedIntArray eaten = SharedIntArray.open(sample.ns(), "eaten", total)) {
            for (int c = 1; c <= consumers; c++) {
                sample.spawn(Consumer.class, "eater-" + c, mode, Integer.toString(total));
            }
            List<ChildProcess> chefs = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                chefs.add(sample.spawn(Producer.class, "chef-" + (p + 1), mode, Integer.toString(p * buns),
                        Integer.toString(buns)));
            }
            for (ChildProcess chef : chefs) {
                sample.join(chef);
            }
            if (q instanceof JoinableQueue<String> jq) {
                jq.join(); // every bun put has been marked done by an eater
                sample.say("join() returned: all buns eaten; shutting the queue down");
                q.shutdown();
            } else {
                sample.say("the chefs are done; one end marker per eater");
                for (int c = 0; c < consumers; c++) {
                    q.put(END);
                }
            }
            sample.joinAll();
            return eaten.toArray();
        }
    }

    /** A chef: makes buns and puts them on the queue. */
    public static final class Producer {
        private Producer() {
        }

        public static void main(String[] args) throws Exception {
            try (Sample me = Sample.child(args); Queue<String> q = open(me, me.args()[0])) {
                int first = Integer.parseInt(me.args()[1]);
                int count = Integer.parseInt(me.args()[2]);
                for (int i = first; i < first + count; i++) {
                    Thread.sleep(ThreadLocalRandom.current().nextInt(5, 30)); // making the bun
                    q.put("bun " + i);
                    me.say("made bun " + i);
                }
            }
        }
    }

    /** An eater: gets buns until the end marker (sentinel) or until the queue is shut down (joinable). */
    public static final class Consumer {
        private Consumer() {
        }

        public static void main(String[] args) throws Exception {
            try (Sample me = Sample.child(args); Queue<String> q = open(me, me.args()[0]);
                    SharedIntArray eaten = SharedIntArray.open(me.ns(), "eaten", Integer.parseInt(me.args()[1]))) {
                while (true) {
                    String bun;
                    try {
                        bun = q.get();
                    } catch (QueueShutdownException e) {
                        me.say("the queue was shut down: done");
                        break;
                    }
                    if (bun.equals(END)) {
                        me.say("got the end marker: done");
                        break;
                    }
                    Thread.sleep(ThreadLocalRandom.current().nextInt(5, 40)); // eating
                    eaten.incrementAndGet(Integer.parseInt(bun.substring("bun ".length())));
                    me.say("ate " + bun);
                    if (q instanceof JoinableQueue<String> jq) {
                        jq.taskDone();
                    }
                }
            }
        }
    }

    static Queue<String> open(Sample me, String mode) {
        return mode.equals("joinable")
                ? me.ns().joinableQueue("buns", Codecs.utf8(), QueueCapacity.messages(4))
                : me.ns().queue("buns", Codecs.utf8(), QueueCapacity.messages(4));
    }
}

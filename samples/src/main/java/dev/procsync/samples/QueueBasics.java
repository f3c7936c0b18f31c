package dev.procsync.samples;

import dev.procsync.codec.Codecs;
import dev.procsync.channel.Queue;
import java.util.ArrayList;
import java.util.List;

/**
 * Seed scenario 7a: a {@link Queue} carries messages between processes in both directions. The
 * parent puts a message that a child gets; then the child puts its answer and the parent gets it.
 * Unlike Python's Queue there is no feeder thread: when {@code put} returns, the message is in
 * shared memory.
 *
 * <pre>
 * samples/run.sh queue
 * </pre>
 */
public final class QueueBasics {
    private QueueBasics() {
    }

    public static void main(String[] args) throws Exception {
        try (Sample sample = Sample.start("queue")) {
            run(sample);
        }
    }

    /**
     * Sends a message to a child and receives its answer.
     *
     * @param sample the stage
     * @return what the parent got back
     * @throws Exception if the child fails
     */
    public static List<String> run(Sample sample) throws Exception {
        List<String> got = new ArrayList<>();
        try (Queue<String> toChild = sample.ns().queue("to-child", Codecs.utf8());
                Queue<String> toParent = sample.ns().queue("to-parent", Codecs.utf8())) {
            sample.spawn(Child.class, "child");
            toChild.put("hello");
            sample.say("put 'hello'");
            String answer = toParent.get(); // waits until the child has answered
            sample.say("got '" + answer + "'");
            got.add(answer);
            sample.joinAll();
        }
        return got;
    }

    /** Gets the parent's message and answers it. */
    public static final class Child {
        private Child() {
        }

        public static void main(String[] args) throws Exception {
            try (Sample me = Sample.child(args);
                    Queue<String> toChild = me.ns().queue("to-child", Codecs.utf8());
                    Queue<String> toParent = me.ns().queue("to-parent", Codecs.utf8())) {
                String message = toChild.get();
                me.say("got '" + message + "'");
                toParent.put(message + " to you too, from pid " + ProcessHandle.current().pid());
                me.say("put the answer");
            }
        }
    }
}

package dev.procsync.samples;

import dev.procsync.codec.Codecs;
import dev.procsync.channel.Connection;
import dev.procsync.channel.EndOfPipeException;
import dev.procsync.channel.Pipe;
import java.util.ArrayList;
import java.util.List;

/**
 * Seed scenario 8: a duplex {@link Pipe} between two processes, the channel tutorial 004
 * recommends over locks. The parent holds end A, a child end B; the child greets, then answers
 * each question (sums, here) until the parent hangs up, which it sees as end of stream.
 *
 * <pre>
 * samples/run.sh pipe [questions]
 * </pre>
 */
public final class PipeConversation {
    private static final int CAPACITY = 4096;

    private PipeConversation() {
    }

    public static void main(String[] args) throws Exception {
        int questions = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        try (Sample sample = Sample.start("pipe")) {
            run(sample, questions);
        }
    }

    /**
     * Holds a conversation of {@code questions} questions with a child.
     *
     * @param sample    the stage
     * @param questions how many sums to ask
     * @return every message the parent received, in order
     * @throws Exception if the child fails
     */
    public static List<String> run(Sample sample, int questions) throws Exception {
        List<String> heard = new ArrayList<>();
        try (Connection<String> conn = Pipe.end(sample.ns(), "talk", Pipe.End.A, true, CAPACITY, Codecs.utf8())) {
            sample.spawn(Answerer.class, "answerer");
            heard.add(conn.recv()); // the child speaks first
            sample.say("heard: " + heard.get(0));
            for (int i = 1; i <= questions; i++) {
                String question = i + " + " + (i * 10);
                conn.send(question);
                String answer = conn.recv();
                sample.say("asked " + question + ", heard " + answer);
                heard.add(answer);
            }
            sample.say("hanging up");
        } // closing end A: the child's next recv sees end of stream
        sample.joinAll();
        return heard;
    }

    /** End B: greets, then answers sums until the other end hangs up. */
    public static final class Answerer {
        private Answerer() {
        }

        public static void main(String[] args) throws Exception {
            try (Sample me = Sample.child(args);
                    Connection<String> conn = Pipe.end(me.ns(), "talk", Pipe.End.B, true, CAPACITY, Codecs.utf8())) {
                conn.send("hello from pid " + ProcessHandle.current().pid() + ", ask me a sum");
                while (true) {
                    String question;
                    try {
                        question = conn.recv();
                    } catch (EndOfPipeException eof) {
                        me.say("the other end hung up");
                        Tally.open(me.ns(), "saw-end-of-stream").add(1);
                        break;
                    }
                    String[] parts = question.split(" \\+ ");
                    int sum = Integer.parseInt(parts[0]) + Integer.parseInt(parts[1]);
                    me.say("got " + question + ", answering " + sum);
                    conn.send(Integer.toString(sum));
                }
            }
        }
    }
}

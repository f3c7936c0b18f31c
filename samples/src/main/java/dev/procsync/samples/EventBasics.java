package dev.procsync.samples;

import dev.procsync.sync.Event;
import java.time.Duration;

/**
 * Seed scenario 6a, Event basics: one process waits for the event without a timeout, another
 * waits with a timeout and gives up; then the parent sets the event and the first one goes on.
 *
 * <pre>
 * samples/run.sh event
 * </pre>
 */
public final class EventBasics {
    private EventBasics() {
    }

    /** What each waiter saw when its wait returned: 1 if the event was set, 0 if not. */
    public record Result(long blockingSawSet, long timedSawSet) {
    }

    public static void main(String[] args) throws Exception {
        try (Sample sample = Sample.start("event")) {
            run(sample, Duration.ofMillis(500));
        }
    }

    /**
     * Runs the scenario.
     *
     * @param sample  the stage
     * @param timeout the second waiter's timeout
     * @return what the waiters saw
     * @throws Exception if a waiter fails
     */
    public static Result run(Sample sample, Duration timeout) throws Exception {
        try (Event e = sample.ns().event("e")) {
            sample.say("event created, is set: " + e.isSet());
            var blocking = sample.spawn(Blocking.class, "block");
            var timed = sample.spawn(Timed.class, "non-block", Long.toString(timeout.toMillis()));
            sample.join(timed); // the timed waiter gives up first, the event still clear
            e.set();
            sample.say("event is set");
            sample.join(blocking);
        }
        return new Result(Tally.open(sample.ns(), "block-saw-set").get(),
                Tally.open(sample.ns(), "non-block-saw-set").get());
    }

    /** Waits as long as it takes. */
    public static final class Blocking {
        private Blocking() {
        }

        public static void main(String[] args) throws Exception {
            try (Sample me = Sample.child(args); Event e = me.ns().event("e")) {
                me.say("waiting for the event");
                e.await();
                me.say("event is set: " + e.isSet());
                Tally.open(me.ns(), "block-saw-set").add(e.isSet() ? 1 : 0);
            }
        }
    }

    /** Waits with a timeout. */
    public static final class Timed {
        private Timed() {
        }

        public static void main(String[] args) throws Exception {
            try (Sample me = Sample.child(args); Event e = me.ns().event("e")) {
                Duration timeout = Duration.ofMillis(Long.parseLong(me.args()[0]));
                me.say("waiting for the event at most " + timeout.toMillis() + " ms");
                boolean set = e.await(timeout);
                me.say("wait returned, event is set: " + set);
                Tally.open(me.ns(), "non-block-saw-set").add(set ? 1 : 0);
            }
        }
    }
}

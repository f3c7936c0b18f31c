package dev.procsync.samples;

import java.util.Arrays;
import java.util.List;

/**
 * Lists the samples and runs one by name.
 *
 * <pre>
 * samples/run.sh                 # list them
 * samples/run.sh counter         # run one (extra arguments go to the sample)
 * </pre>
 */
public final class Samples {
    private Samples() {
    }

    /** A sample's entry point. */
    @FunctionalInterface
    interface Main {
        void run(String[] args) throws Exception;
    }

    /** One runnable sample. */
    record Entry(String name, String summary, Main main) {
    }

    /** Every sample, in the order a newcomer should try them. */
    static final List<Entry> ALL = List.of(
            new Entry("counter", "processes add to one shared counter, with a Lock (none lost) and without (lost)",
                    CounterRace::main),
            new Entry("file-append", "two processes append blocks of lines to one file under a Lock [--no-lock]",
                    FileAppend::main),
            new Entry("running-done", "processes print running/done: interleaved, paired by a Lock, or joined "
                    + "[no-lock|lock|join]", RunningDone::main),
            new Entry("tickets", "the ticket rush on a JSON file: never oversold with the Lock "
                    + "[stock buyers processes] [--no-lock]", TicketRush::main));

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("list") || args[0].equals("--help")) {
            System.out.println("procsync samples; run one with: samples/run.sh <name> [args]");
            System.out.println();
            for (Entry e : ALL) {
                System.out.printf("  %-14s %s%n", e.name(), e.summary());
            }
            return;
        }
        for (Entry e : ALL) {
            if (e.name().equals(args[0])) {
                e.main().run(Arrays.copyOfRange(args, 1, args.length));
                return;
            }
        }
        System.err.println("no sample named '" + args[0] + "'; run without arguments to list them");
        System.exit(2);
    }
}

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
            new Entry("add-numbers", "add1/add3 under a Lock; a SharedInt total; a SharedIntArray negated by a child "
                    + "[times]", AddNumbers::main),
            new Entry("running-done", "processes print running/done: interleaved, paired by a Lock, or joined "
                    + "[no-lock|lock|join]", RunningDone::main),
            new Entry("tickets", "the ticket rush on a JSON file: never oversold with the Lock "
                    + "[stock buyers processes] [--no-lock]", TicketRush::main),
            new Entry("tickets-python", "the tutorial's Python ticket rush and JVM buyers under one Lock (needs "
                    + "python3; PYTHONPATH=python) [stock jvm-buyers]", TicketRushWithPython::main),
            new Entry("ktv", "the KTV: a Semaphore(4) lets 4 of 5 groups sing at once [rooms groups]", KtvRoom::main),
            new Entry("event", "Event basics: a blocking waiter, a timed waiter, then set()", EventBasics::main),
            new Entry("traffic-light", "a light process toggles an Event, car processes wait for green [cars]",
                    TrafficLight::main),
            new Entry("queue", "a Queue carries a message to a child and its answer back", QueueBasics::main),
            new Entry("producer-consumer", "chefs and eaters over a bounded Queue, ended by sentinels or by a "
                    + "JoinableQueue [sentinel|joinable producers consumers buns]", ProducerConsumer::main),
            new Entry("pipe", "a duplex Pipe: a child answers questions until the parent hangs up [questions]",
                    PipeConversation::main),
            new Entry("reactive-event", "a thousand reactive pipelines await an Event another process sets "
                    + "[pipelines]", ReactivePipeline::main),
            new Entry("backpressure", "a fast producer JVM sends a Flux into a Queue of 8, a slow consumer JVM "
                    + "holds it back [items]", BackpressuredStream::main),
            new Entry("chat", "worker JVMs serve one TCP port; a Semaphore bounds sessions, an Event stops them "
                    + "[workers sessions port]", ChatServer::main));

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("list") || args[0].equals("--help")) {
            System.out.println("procsync samples; run one with: samples/run.sh <name> [args]");
            System.out.println();
            for (Entry e : ALL) {
                System.out.printf("  %-18s %s%n", e.name(), e.summary());
            }
            System.out.printf("  %-18s %s%n", "webflux", "a Spring WebFlux ticket service as two processes sharing "
                    + "one stock [stock buyers]");
            System.out.printf("  %-18s %s%n", "kotlin", "coroutine singers in two processes share one Semaphore "
                    + "(withPermitAndAwait, awaitSet) [rooms singers]");
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

package dev.procsync.samples;

import dev.procsync.reactive.ReactiveEvent;
import dev.procsync.reactive.ReactiveProcsync;
import dev.procsync.reactive.shm.ShmReactiveProcsync;
import dev.procsync.sync.Event;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Beyond the seeds: a thousand reactive pipelines in this process wait for an event that another
 * process sets, without a thread each. A loader child computes a result, stores it in shared
 * memory and sets the {@code data-ready} event; every pipeline then reads the result and goes on.
 * One poller thread per process watches the event's futex word for all of them.
 *
 * <pre>
 * samples/run.sh reactive-event [pipelines]
 * </pre>
 */
public final class ReactivePipeline {
    private ReactivePipeline() {
    }

    /** What happened: pipelines started, the results they computed, and threads before and while waiting. */
    public record Result(int pipelines, List<Long> results, int threadsBefore, int threadsWhileWaiting) {
    }

    public static void main(String[] args) throws Exception {
        int pipelines = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        try (Sample sample = Sample.start("reactive-event")) {
            Result r = run(sample, pipelines);
            sample.say(r.results().size() + " pipelines completed; threads before " + r.threadsBefore()
                    + ", while " + pipelines + " pipelines waited " + r.threadsWhileWaiting());
        }
    }

    /**
     * Starts {@code pipelines} pipelines that await the event, then the loader that sets it.
     *
     * @param sample    the stage
     * @param pipelines how many pipelines
     * @return what happened
     * @throws Exception if the loader fails or the pipelines do not complete in time
     */
    public static Result run(Sample sample, int pipelines) throws Exception {
        ReactiveProcsync rx = ShmReactiveProcsync.of(sample.ns());
        Tally answer = Tally.open(sample.ns(), "answer");
        try (ReactiveEvent ready = rx.event("data-ready")) {
            int threadsBefore = threads();
            CompletableFuture<List<Long>> done = Flux.range(1, pipelines)
                    .flatMap(i -> ready.await(Sample.PATIENCE)
                            .then(Mono.fromSupplier(() -> answer.get() + i)), pipelines)
                    .collectList().toFuture();
            int threadsWhileWaiting = threads();
            sample.say(pipelines + " pipelines wait for 'data-ready'; this JVM runs " + threadsWhileWaiting
                    + " threads (" + threadsBefore + " before)");

            sample.spawn(Loader.class, "loader");
            List<Long> results = done.get(Sample.PATIENCE.toSeconds(), TimeUnit.SECONDS);
            sample.say("every pipeline went on once the loader set the event; the first computed " + results.get(0));
            sample.joinAll();
            return new Result(pipelines, results, threadsBefore, threadsWhileWaiting);
        }
    }

    private static int threads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    /** Computes the answer, publishes it, and sets the event. */
    public static final class Loader {
        private Loader() {
        }

        public static void main(String[] args) throws Exception {
            try (Sample me = Sample.child(args); Event ready = me.ns().event("data-ready")) {
                long value = 6 * 7; // the expensive computation
                Tally.open(me.ns(), "answer").add(value);
                me.say("computed " + value + "; setting data-ready");
                ready.set(); // everything written before set() is seen by whoever wakes from it
            }
        }
    }
}

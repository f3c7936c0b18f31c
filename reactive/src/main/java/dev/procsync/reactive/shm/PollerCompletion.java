package dev.procsync.reactive.shm;

import java.util.concurrent.TimeUnit;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The Scheduler behind {@link ShmReactiveProcsync#completeOnPoller()}: a completion runs at once on
 * the thread that grants it (the poller thread, or the requesting thread for a wait that completes
 * at once), saving the hop to another thread; deadlines, which need a clock, run on
 * {@link Schedulers#parallel()}.
 */
final class PollerCompletion implements Scheduler {
    static final PollerCompletion INSTANCE = new PollerCompletion();

    private PollerCompletion() {
    }

    @Override
    public Disposable schedule(Runnable task) {
        task.run();
        return Disposables.disposed();
    }

    @Override
    public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
        return Schedulers.parallel().schedule(task, delay, unit);
    }

    @Override
    public long now(TimeUnit unit) {
        return Schedulers.parallel().now(unit);
    }

    @Override
    public Worker createWorker() {
        return Schedulers.parallel().createWorker(); // for operators that ask; completions never do
    }

    @Override
    public String toString() {
        return "completeOnPoller";
    }
}

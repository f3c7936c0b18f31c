package dev.procsync.reactive.testing;

import dev.procsync.Namespace;
import dev.procsync.reactive.ReactiveProcsync;
import dev.procsync.reactive.shm.ShmReactiveProcsync;
import dev.procsync.testing.TempRoot;

/** A private namespace and its reactive face for one test; closes both. */
public final class Ns implements AutoCloseable {
    public final TempRoot root = new TempRoot();
    public final Namespace ns;
    public final ReactiveProcsync rx;

    public Ns(String name) {
        ns = root.open(name);
        rx = ShmReactiveProcsync.of(ns);
    }

    @Override
    public void close() {
        ns.close();
        root.close();
    }
}

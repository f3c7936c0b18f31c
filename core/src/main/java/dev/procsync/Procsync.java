package dev.procsync;

/**
 * Entry point: opens {@link Namespace namespaces}, the directories in which processes find
 * shared primitives by name.
 *
 * <pre>{@code
 * try (Namespace ns = Procsync.open("tickets");
 *      Lock lock = ns.lock("db")) {
 *     lock.acquire();
 *     try {
 *         // one process at a time, across every JVM on this host that opened "tickets"/"db"
 *     } finally {
 *         lock.release();
 *     }
 * }
 * }</pre>
 */
public final class Procsync {
    private Procsync() {
    }

    /**
     * Opens (creating its directory if needed) a namespace under the default root.
     *
     * @param namespace the namespace's name: 1-128 of [A-Za-z0-9._-], starting with a letter or digit
     * @return the namespace
     */
    public static Namespace open(String namespace) {
        return Namespace.open(namespace, NamespaceOptions.defaults());
    }

    /**
     * Opens (creating its directory if needed) a namespace with explicit options.
     *
     * @param namespace the namespace's name
     * @param options   root directory, file mode and spin policy
     * @return the namespace
     */
    public static Namespace open(String namespace, NamespaceOptions options) {
        return Namespace.open(namespace, options);
    }
}

package consumer

import dev.procsync.NamespaceOptions
import dev.procsync.Procsync
import dev.procsync.process.ChildProcess
import dev.procsync.reactive.acquireAndAwait
import dev.procsync.reactive.awaitSet
import dev.procsync.reactive.getAndAwait
import dev.procsync.reactive.releaseAndAwait
import dev.procsync.reactive.setAndAwait
import dev.procsync.reactive.shm.ShmReactiveProcsync
import dev.procsync.reactive.tryAcquireAndAwait
import dev.procsync.reactive.withPermitAndAwait
import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration
import kotlinx.coroutines.runBlocking

/**
 * A user's coroutine program, compiled by an older Kotlin than procsync's: it holds a lock while a
 * child JVM waits for it, then lets the child through. Exits non-zero if anything is off.
 */
object Main {
    @JvmStatic
    fun main(args: Array<String>) = runBlocking {
        if (args.size == 2 && args[0] == "child") {
            child(Path.of(args[1]))
            return@runBlocking
        }
        val tmp = Path.of(if (Files.isDirectory(Path.of("/dev/shm"))) "/dev/shm" else "/tmp")
        val root = Files.createTempDirectory(tmp, "procsync-kotlin-consumer-")
        try {
            Procsync.open("consumer", NamespaceOptions.defaults().withRoot(root)).use { ns ->
                val rx = ShmReactiveProcsync.of(ns)
                rx.lock("db").use { lock ->
                    rx.event("child-waiting").use { waiting ->
                        rx.longValue("passed").use { passed ->
                            val permit = lock.acquireAndAwait()
                            ChildProcess.start(Child::class.java, root.toString()).use { child ->
                                waiting.awaitSet(Duration.ofSeconds(60))
                                check(passed.getAndAwait() == 0L) { "child got past a lock this process holds" }
                                permit.releaseAndAwait()
                                check(child.joinExitCode(Duration.ofSeconds(60)) == 0) { "child: " + child.output() }
                                check(passed.getAndAwait() == 1L) { "child did not pass the released lock" }
                            }
                        }
                    }
                }
            }
        } finally {
            root.toFile().deleteRecursively()
        }
        println("kotlin consumer: cross-process lock OK")
    }

    private suspend fun child(root: Path) {
        Procsync.open("consumer", NamespaceOptions.defaults().withRoot(root)).use { ns ->
            val rx = ShmReactiveProcsync.of(ns)
            rx.lock("db").use { lock ->
                check(lock.tryAcquireAndAwait() == null) { "lock free while the parent holds it" }
                rx.event("child-waiting").use { it.setAndAwait() }
                rx.longValue("passed").use { passed ->
                    lock.withPermitAndAwait { passed.setAndAwait(passed.getAndAwait() + 1) }
                }
            }
        }
    }
}

/** The child JVM's entry point. */
object Child {
    @JvmStatic
    fun main(args: Array<String>) = Main.main(arrayOf("child") + args)
}

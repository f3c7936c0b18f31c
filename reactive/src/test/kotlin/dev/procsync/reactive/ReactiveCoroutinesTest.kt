package dev.procsync.reactive

import dev.procsync.reactive.testing.Ns
import java.util.concurrent.CountDownLatch
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch
import kotlinx.coroutines.reactor.awaitSingle
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import kotlinx.coroutines.yield
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import reactor.core.publisher.Mono

class ReactiveCoroutinesTest {
    private val ns = Ns("rxkotlin")
    private val lock: ReactiveLock = ns.rx.lock("k")
    private val other: ReactiveLock = ns.rx.lock("k")
    private val executor = Executors.newSingleThreadExecutor { r -> Thread(r, "test-dispatcher") }
    private val dispatcher = executor.asCoroutineDispatcher()

    @AfterEach
    fun cleanUp() {
        executor.shutdownNow()
        lock.close()
        other.close()
        ns.close()
    }

    private fun isLocked(): Boolean = other.isLocked().block()!!

    @Test
    fun shouldRunBlockUnderPermitAndRelease() = runBlocking {
        val result = withTimeout(10_000) {
            lock.withPermitAndAwait { permit ->
                assertFalse(permit.isReleased)
                assertTrue(isLocked())
                42
            }
        }
        assertEquals(42, result)
        assertFalse(isLocked())
    }

    @Test
    fun shouldReturnNullFromTryAcquireWhenHeld() = runBlocking {
        val held = lock.acquireAndAwait()
        assertNull(other.tryAcquireAndAwait())
        held.releaseAndAwait()
        val next = other.tryAcquireAndAwait()
        assertNotNull(next)
        next!!.close()
    }

    @Test
    fun shouldAcquireNothingWhenCancelledWhileWaiting() = runBlocking {
        val held = lock.acquireAndAwait()
        val waiter = launch { other.acquireAndAwait() }
        yield()
        waiter.cancelAndJoin()
        held.close()
        assertFalse(isLocked(), "a cancelled waiter must not keep the lock")
    }

    @Test
    fun shouldReleaseWhenBlockIsCancelled() = runBlocking {
        val entered = CountDownLatch(1)
        val job = launch(dispatcher) {
            lock.withPermitAndAwait {
                entered.countDown()
                awaitCancellation()
            }
        }
        assertTrue(entered.await(10, TimeUnit.SECONDS))
        assertTrue(isLocked())
        job.cancelAndJoin()
        assertFalse(isLocked())
    }

    /**
     * The race plain awaitSingle() loses: the permit is emitted, the continuation is queued on a
     * busy dispatcher, and the coroutine is cancelled before it runs. Runs [acquire] in exactly
     * that interleaving and reports whether the lock is still held afterwards.
     */
    private fun lockHeldAfterCancelBetweenEmitAndResume(acquire: suspend (ReactiveAcquirable) -> Permit): Boolean =
        runBlocking {
            val held = lock.acquireAndAwait()
            val emitted = CountDownLatch(1)
            val observed = object : ReactiveAcquirable by other {
                override fun acquire(): Mono<Permit> = other.acquire().doOnNext { emitted.countDown() }
            }
            val job = async(dispatcher, start = CoroutineStart.UNDISPATCHED) { acquire(observed) }
            val dispatcherFree = CountDownLatch(1)
            executor.execute { dispatcherFree.await(10, TimeUnit.SECONDS) } // the dispatcher is busy
            held.close() // the poller grants the waiter; its resumption queues behind the busy task
            assertTrue(emitted.await(10, TimeUnit.SECONDS), "permit never emitted")
            job.cancel()
            dispatcherFree.countDown()
            runCatching { job.await() }
            isLocked()
        }

    @Test
    fun shouldReleasePermitEmittedWhileTheCoroutineIsCancelled() {
        assertFalse(lockHeldAfterCancelBetweenEmitAndResume { it.acquireAndAwait() },
            "acquireAndAwait() must release a permit its cancelled coroutine can no longer receive")
    }

    @Test
    fun shouldShowThatPlainAwaitSingleLosesThePermitInTheSameRace() {
        // Proves the race above is real: the naive bridge leaves the lock held by nobody.
        assertTrue(lockHeldAfterCancelBetweenEmitAndResume { it.acquire().awaitSingle() })
    }

    @Test
    fun shouldSuspendUntilAnotherHandleSetsTheEvent() = runBlocking {
        ns.rx.event("ev").use { event ->
            ns.rx.event("ev").use { setter ->
                val waiter = async { withTimeout(10_000) { event.awaitSet() } }
                yield()
                assertFalse(waiter.isCompleted)
                setter.setAndAwait()
                waiter.await()
            }
        }
    }

    @Test
    fun shouldNotLoseSemaphorePermitsToCancelledCoroutines() = runBlocking {
        ns.rx.semaphore("sem", 2).use { sem ->
            val jobs = (1..50).map { launch(dispatcher) { sem.withPermitAndAwait { yield() } } }
            jobs.filterIndexed { i, _ -> i % 3 == 0 }.forEach { it.cancel() }
            jobs.forEach { it.join() }
            assertEquals(2, sem.availablePermits().block())
        }
    }

    @Test
    fun shouldArriveAndAwaitTheOtherParties() = runBlocking {
        ns.rx.barrier("kb", 2).use { barrier ->
            val first = async { withTimeout(10_000) { barrier.arriveAndAwait() } }
            val second = withTimeout(10_000) { barrier.arriveAndAwait() }
            assertEquals(setOf(0, 1), setOf(first.await(), second))
        }
    }

    @Test
    fun shouldSendAndReceiveThroughAQueueAsAFlow() = runBlocking {
        ns.rx.queue("kq", dev.procsync.codec.Codecs.utf8(), QueueBound.messages(4)).use { q ->
            val sender = launch { q.sendAndAwait(kotlinx.coroutines.flow.flowOf("a", "b", "c", "d", "e", "f")) }
            val got = withTimeout(10_000) { q.receiveAsFlow().take(6).toList() }
            sender.join()
            assertEquals(listOf("a", "b", "c", "d", "e", "f"), got)
        }
    }

    @Test
    fun shouldLeaveWhatACancelledFlowCollectorDidNotTakeInTheQueue() = runBlocking {
        ns.rx.queue("kq2", dev.procsync.codec.Codecs.utf8(), QueueBound.messages(16)).use { q ->
            (0 until 10).forEach { q.put("m$it").block() }
            val firstThree = withTimeout(10_000) { q.receiveAsFlow().take(3).toList() }
            assertEquals(listOf("m0", "m1", "m2"), firstThree)
            val rest = (0 until 7).map { q.poll().block() }
            assertEquals((3 until 10).map { "m$it" }, rest)
            assertNull(q.poll().block())
        }
    }
}

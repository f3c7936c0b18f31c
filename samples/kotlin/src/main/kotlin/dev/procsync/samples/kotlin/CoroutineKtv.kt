package dev.procsync.samples.kotlin

import dev.procsync.codec.Codecs
import dev.procsync.reactive.QueueBound
import dev.procsync.reactive.ReactiveEvent
import dev.procsync.reactive.ReactiveProcsync
import dev.procsync.reactive.ReactiveQueue
import dev.procsync.reactive.ReactiveSemaphore
import dev.procsync.reactive.awaitSet
import dev.procsync.reactive.receiveAsFlow
import dev.procsync.reactive.sendAndAwait
import dev.procsync.reactive.setAndAwait
import dev.procsync.reactive.shm.ShmReactiveProcsync
import dev.procsync.reactive.withPermitAndAwait
import dev.procsync.samples.Sample
import dev.procsync.samples.Tally
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext

/**
 * Sample 12, the KTV with coroutines: singers are coroutines, some in this process and some in a
 * child JVM, and one cross-process semaphore (4 rooms) seats them. Nobody holds a thread while
 * waiting for a room: `withPermitAndAwait` suspends, and gives the permit back however the block
 * ends, even when the coroutine is cancelled. Two events, awaited with `awaitSet()`, start the
 * evening once both processes are ready. Every singer then puts its song on a cross-process
 * queue (`sendAndAwait`, suspending while the queue of 4 is full), and this process collects the
 * playlist as a Flow (`receiveAsFlow()`).
 *
 * ```
 * samples/run.sh kotlin [rooms] [singers-per-process]
 * ```
 */
object CoroutineKtv {
    /** How the evening went: singers who sang, the most ever inside at once, and the playlist. */
    data class Result(val sang: Long, val mostInside: Long, val playlist: List<String>)

    @JvmStatic
    fun main(args: Array<String>) {
        val rooms = args.getOrNull(0)?.toInt() ?: 4
        val singers = args.getOrNull(1)?.toInt() ?: 10
        Sample.start("kotlin-ktv").use { sample ->
            val r = run(sample, rooms, singers)
            sample.say("${r.sang} singers sang; at most ${r.mostInside} were inside at once ($rooms rooms)")
            sample.say("the playlist, as it arrived through the queue: ${r.playlist}")
        }
    }

    /** Runs [singers] coroutine singers here and as many in a child process, sharing [rooms] rooms. */
    fun run(sample: Sample, rooms: Int, singers: Int): Result = runBlocking {
        val rx = ShmReactiveProcsync.of(sample.ns())
        val playlist = rx.semaphore("rooms", rooms).use { roomsSem ->
            rx.event("child-ready").use { childReady ->
                rx.event("doors-open").use { doorsOpen ->
                    songsQueue(rx).use { songs ->
                        val child = sample.spawn(ChildSingers::class.java, "child", rooms.toString(), singers.toString())
                        coroutineScope {
                            // Both processes' songs, collected as a Flow while they are sung.
                            val playlist = async { songs.receiveAsFlow().take(2 * singers).toList() }
                            repeat(singers) { i -> launch { sing(sample, roomsSem, doorsOpen, songs, "singer-$i") } }
                            childReady.awaitSet() // the child's singers are queuing too
                            sample.say("both processes are ready: opening the doors")
                            doorsOpen.setAndAwait()
                            withContext(Dispatchers.IO) { sample.join(child) }
                            playlist.await()
                        }
                    }
                }
            }
        }
        Result(Tally.open(sample.ns(), "sang").get(), Tally.open(sample.ns(), "most-inside").get(), playlist)
    }

    private fun songsQueue(rx: ReactiveProcsync): ReactiveQueue<String> =
        rx.queue("songs", Codecs.utf8(), QueueBound.messages(4))

    /** One singer: waits for the doors, then for a room, sings, and leaves. */
    suspend fun sing(me: Sample, rooms: ReactiveSemaphore, doorsOpen: ReactiveEvent, songs: ReactiveQueue<String>,
        who: String) {
        doorsOpen.awaitSet()
        val inside = Tally.open(me.ns(), "inside")
        rooms.withPermitAndAwait {
            Tally.open(me.ns(), "most-inside").max(inside.add(1))
            me.say("$who is singing")
            delay(30) // singing: suspends, holds no thread
            inside.add(-1)
        }
        Tally.open(me.ns(), "sang").add(1)
        songs.sendAndAwait("$who of ${me.role()}")
    }

    /** The child process: its own coroutine singers, on the same rooms. */
    object ChildSingers {
        @JvmStatic
        fun main(args: Array<String>) {
            Sample.child(args).use { me ->
                val rooms = me.args()[0].toInt()
                val singers = me.args()[1].toInt()
                val rx = ShmReactiveProcsync.of(me.ns())
                runBlocking {
                    rx.semaphore("rooms", rooms).use { roomsSem ->
                        rx.event("doors-open").use { doorsOpen ->
                            rx.event("child-ready").use { ready ->
                                songsQueue(rx).use { songs ->
                                    coroutineScope {
                                        repeat(singers) { i ->
                                            launch { sing(me, roomsSem, doorsOpen, songs, "singer-$i") }
                                        }
                                        ready.setAndAwait()
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

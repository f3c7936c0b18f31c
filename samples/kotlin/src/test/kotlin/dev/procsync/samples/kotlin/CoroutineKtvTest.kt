package dev.procsync.samples.kotlin

import dev.procsync.samples.Sample
import dev.procsync.testing.TempRoot
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

class CoroutineKtvTest {
    @Test
    fun shouldNeverSeatMoreSingersThanRoomsAcrossCoroutinesAndProcesses() {
        TempRoot().use { root ->
            Sample.captured("kotlin-ktv", root.path()).use { sample ->
                val r = CoroutineKtv.run(sample, 3, 8)
                assertEquals(16L, r.sang, "every singer in both processes sang")
                assertTrue(r.mostInside in 1L..3L, "at most 3 inside at once, was ${r.mostInside}")
                val expected = (0 until 8).flatMap { listOf("singer-$it of main", "singer-$it of child") }.toSet()
                assertEquals(expected, r.playlist.toSet(), "every song of both processes, through the queue")
                assertEquals(16, r.playlist.size, "each song once")
            }
        }
    }
}

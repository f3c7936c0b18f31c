package dev.procsync.redis;

import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** An application on the Redis backend has neither JNA nor a shared-memory class on its class path. */
class LayeringTest {
    @Test
    void neitherJnaNorCoreNorTheShmBackendIsOnTheClassPath() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("com.sun.jna.Native"));
        assertThrows(ClassNotFoundException.class, () -> Class.forName("dev.procsync.Namespace"));
        assertThrows(ClassNotFoundException.class,
                () -> Class.forName("dev.procsync.reactive.shm.ShmReactiveProcsync"));
    }
}

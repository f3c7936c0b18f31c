package dev.procsync.internal.engine;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Tells virtual threads from platform threads on a JVM that has them, from code compiled for
 * Java 17: {@code Thread.isVirtual()} through a method handle looked up once. On Java 17-20 every
 * thread is a platform thread.
 */
final class VirtualThreads {
    /** {@code Thread::isVirtual}, or a constant {@code false} before Java 21. */
    private static final MethodHandle IS_VIRTUAL = isVirtualHandle();

    private VirtualThreads() {
    }

    /** Whether virtual threads exist in this JVM (Java 21 and later). */
    static boolean supported() {
        return Runtime.version().feature() >= 21;
    }

    /** Whether {@code thread} is a virtual thread. */
    static boolean isVirtual(Thread thread) {
        try {
            return (boolean) IS_VIRTUAL.invokeExact(thread);
        } catch (Throwable impossible) {
            throw new AssertionError("Thread.isVirtual threw", impossible);
        }
    }

    private static MethodHandle isVirtualHandle() {
        MethodType type = MethodType.methodType(boolean.class);
        try {
            return MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual", type);
        } catch (NoSuchMethodException | IllegalAccessException beforeJava21) {
            return MethodHandles.dropArguments(MethodHandles.constant(boolean.class, false), 0, Thread.class);
        }
    }
}

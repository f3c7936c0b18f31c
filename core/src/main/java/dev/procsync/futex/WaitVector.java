package dev.procsync.futex;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/**
 * A reusable native array of {@code struct futex_waitv} entries for {@link Futex#awaitAny}.
 * Not thread-safe: one owner (the reactive poller) fills it and waits on it.
 *
 * <pre>
 * entry (24 bytes)   offset  size  field
 *                    0       8     val    value the word must hold to sleep (zero-extended)
 *                    8       8     uaddr  address of the 32-bit word
 *                    16      4     flags  FUTEX2_SIZE_U32, never FUTEX2_PRIVATE
 *                    20      4     __reserved, zero
 * </pre>
 */
public final class WaitVector {
    private final Memory memory;
    private final int capacity;
    private int size;

    /**
     * Creates an empty vector.
     *
     * @param capacity most entries, at most {@link Futex#waitvMaxWords()}
     */
    public WaitVector(int capacity) {
        if (capacity < 1 || capacity > FutexSyscall.FUTEX_WAITV_MAX) {
            throw new IllegalArgumentException("capacity must be 1.." + FutexSyscall.FUTEX_WAITV_MAX + ": " + capacity);
        }
        this.capacity = capacity;
        this.memory = new Memory((long) capacity * FutexSyscall.FUTEX_WAITV_ENTRY);
        this.memory.clear();
    }

    /** Removes every entry. */
    public void clear() {
        size = 0;
    }

    /** How many entries are set. */
    public int size() {
        return size;
    }

    /** Most entries this vector holds. */
    public int capacity() {
        return capacity;
    }

    /**
     * Appends a word to wait on.
     *
     * @param address  native address of the 32-bit word
     * @param expected the value it must hold for the caller to sleep
     * @return the entry's index, reported back by {@link Futex#awaitAny} when it is woken
     */
    public int add(long address, int expected) {
        if (size == capacity) {
            throw new IllegalStateException("wait vector full: " + capacity + " words");
        }
        long base = (long) size * FutexSyscall.FUTEX_WAITV_ENTRY;
        memory.setLong(base, expected & 0xFFFF_FFFFL);
        memory.setLong(base + 8, address);
        memory.setInt(base + 16, FutexSyscall.FUTEX2_SIZE_U32);
        memory.setInt(base + 20, 0);
        return size++;
    }

    long address() {
        return Pointer.nativeValue(memory);
    }
}

/*
 * procsync._native: the atomic instructions and futex calls of the Python client, and the
 * uncontended Lock path, in C with nothing but the CPython C API and Linux headers.
 *
 * Optional: without it procsync uses procsync._ctypes_atomic (libatomic through ctypes), which
 * is correct but pays a foreign call (~1-2 us) per atomic instruction. Every function takes an
 * absolute address inside a MAP_SHARED mapping that the Python side keeps alive; 32-bit words are
 * 4-aligned and 64-bit words 8-aligned (docs/LAYOUT.md). Integers are passed as unsigned and
 * wrap: fetch_add64(a, -(1 << 32)) subtracts one from the high half.
 *
 * Ordering: every read-modify-write is sequentially consistent (__ATOMIC_SEQ_CST: a full fence,
 * the "CAS or fetch-and-add is both" of docs/LAYOUT.md); loads are acquire, stores release.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <errno.h>
#include <linux/futex.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#ifndef __NR_membarrier
#define __NR_membarrier 324
#endif
#define MEMBARRIER_CMD_GLOBAL_EXPEDITED (1 << 1)

/* The Lock word (docs/layout/foundation.md): bits 0-21 holder pid, bit 30 SLEEPERS. */
#define LOCK_SLEEPERS (1u << 30)
#define LOCK_OWNER_DIED_DELTA 4
#define LOCK_OWNER_START_DELTA 8

/* This process's identity, set by procsync._proc at import and after fork. */
static uint32_t my_pid;
static uint64_t my_start;

#define U32(a) ((uint32_t *)(uintptr_t)(a))
#define U64(a) ((uint64_t *)(uintptr_t)(a))

static PyObject *
n_cas32(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 3) {
        PyErr_SetString(PyExc_TypeError, "cas32(address, expected, new)");
        return NULL;
    }
    unsigned long long a = PyLong_AsUnsignedLongLongMask(args[0]);
    uint32_t expected = (uint32_t)PyLong_AsUnsignedLongLongMask(args[1]);
    uint32_t desired = (uint32_t)PyLong_AsUnsignedLongLongMask(args[2]);
    if (PyErr_Occurred()) {
        return NULL;
    }
    int ok = __atomic_compare_exchange_n(U32(a), &expected, desired, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    return PyBool_FromLong(ok);
}

static PyObject *
n_cas64(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 3) {
        PyErr_SetString(PyExc_TypeError, "cas64(address, expected, new)");
        return NULL;
    }
    unsigned long long a = PyLong_AsUnsignedLongLongMask(args[0]);
    uint64_t expected = PyLong_AsUnsignedLongLongMask(args[1]);
    uint64_t desired = PyLong_AsUnsignedLongLongMask(args[2]);
    if (PyErr_Occurred()) {
        return NULL;
    }
    int ok = __atomic_compare_exchange_n(U64(a), &expected, desired, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    return PyBool_FromLong(ok);
}

/* Two-argument helpers: (address, value). */
static int
two(PyObject *const *args, Py_ssize_t nargs, const char *name, unsigned long long *a, unsigned long long *v)
{
    if (nargs != 2) {
        PyErr_Format(PyExc_TypeError, "%s(address, value)", name);
        return -1;
    }
    *a = PyLong_AsUnsignedLongLongMask(args[0]);
    *v = PyLong_AsUnsignedLongLongMask(args[1]);
    return PyErr_Occurred() ? -1 : 0;
}

static PyObject *
n_fetch_add32(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    unsigned long long a, v;
    if (two(args, nargs, "fetch_add32", &a, &v) < 0) {
        return NULL;
    }
    return PyLong_FromUnsignedLong(__atomic_fetch_add(U32(a), (uint32_t)v, __ATOMIC_SEQ_CST));
}

static PyObject *
n_fetch_add64(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    unsigned long long a, v;
    if (two(args, nargs, "fetch_add64", &a, &v) < 0) {
        return NULL;
    }
    return PyLong_FromUnsignedLongLong(__atomic_fetch_add(U64(a), (uint64_t)v, __ATOMIC_SEQ_CST));
}

static PyObject *
n_xchg32(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    unsigned long long a, v;
    if (two(args, nargs, "xchg32", &a, &v) < 0) {
        return NULL;
    }
    return PyLong_FromUnsignedLong(__atomic_exchange_n(U32(a), (uint32_t)v, __ATOMIC_SEQ_CST));
}

static PyObject *
n_xchg64(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    unsigned long long a, v;
    if (two(args, nargs, "xchg64", &a, &v) < 0) {
        return NULL;
    }
    return PyLong_FromUnsignedLongLong(__atomic_exchange_n(U64(a), (uint64_t)v, __ATOMIC_SEQ_CST));
}

static PyObject *
n_store32(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    unsigned long long a, v;
    if (two(args, nargs, "store32", &a, &v) < 0) {
        return NULL;
    }
    __atomic_store_n(U32(a), (uint32_t)v, __ATOMIC_RELEASE);
    Py_RETURN_NONE;
}

static PyObject *
n_store64(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    unsigned long long a, v;
    if (two(args, nargs, "store64", &a, &v) < 0) {
        return NULL;
    }
    __atomic_store_n(U64(a), (uint64_t)v, __ATOMIC_RELEASE);
    Py_RETURN_NONE;
}

static PyObject *
n_load32(PyObject *self, PyObject *arg)
{
    unsigned long long a = PyLong_AsUnsignedLongLongMask(arg);
    if (PyErr_Occurred()) {
        return NULL;
    }
    return PyLong_FromUnsignedLong(__atomic_load_n(U32(a), __ATOMIC_ACQUIRE));
}

static PyObject *
n_load64(PyObject *self, PyObject *arg)
{
    unsigned long long a = PyLong_AsUnsignedLongLongMask(arg);
    if (PyErr_Occurred()) {
        return NULL;
    }
    return PyLong_FromUnsignedLongLong(__atomic_load_n(U64(a), __ATOMIC_ACQUIRE));
}

static PyObject *
n_fence(PyObject *self, PyObject *unused)
{
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    Py_RETURN_NONE;
}

/*
 * futex_wait(address, expected, timeout_ns) -> 0 woken (or the word differed), 1 timed out.
 * Sleeps without the GIL; the timeout is relative, which FUTEX_WAIT measures on CLOCK_MONOTONIC.
 * A signal ends the sleep: Python's handlers then run here (KeyboardInterrupt propagates), and
 * otherwise the call returns 0 so the caller re-checks its word, as after a spurious wake-up.
 */
static PyObject *
n_futex_wait(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 3) {
        PyErr_SetString(PyExc_TypeError, "futex_wait(address, expected, timeout_ns)");
        return NULL;
    }
    unsigned long long a = PyLong_AsUnsignedLongLongMask(args[0]);
    uint32_t expected = (uint32_t)PyLong_AsUnsignedLongLongMask(args[1]);
    long long ns = PyLong_AsLongLong(args[2]);
    if (PyErr_Occurred()) {
        return NULL;
    }
    if (ns < 0) {
        ns = 0;
    }
    struct timespec ts = { (time_t)(ns / 1000000000LL), (long)(ns % 1000000000LL) };
    long rc;
    int err;
    Py_BEGIN_ALLOW_THREADS
    rc = syscall(SYS_futex, U32(a), FUTEX_WAIT, expected, &ts, NULL, 0);
    err = errno;
    Py_END_ALLOW_THREADS
    if (rc == 0) {
        return PyLong_FromLong(0);
    }
    if (err == ETIMEDOUT) {
        return PyLong_FromLong(1);
    }
    if (err == EINTR) {
        if (PyErr_CheckSignals() < 0) {
            return NULL;
        }
        return PyLong_FromLong(0);
    }
    if (err == EAGAIN) {
        return PyLong_FromLong(0);
    }
    errno = err;
    return PyErr_SetFromErrno(PyExc_OSError);
}

static int
wake(uintptr_t a, int n)
{
    return (int)syscall(SYS_futex, U32(a), FUTEX_WAKE, n, NULL, NULL, 0);
}

static PyObject *
n_futex_wake(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    unsigned long long a, v;
    if (two(args, nargs, "futex_wake", &a, &v) < 0) {
        return NULL;
    }
    int n = v > 0x7fffffffULL ? 0x7fffffff : (int)v;
    int rc = wake((uintptr_t)a, n);
    if (rc < 0) {
        return PyErr_SetFromErrno(PyExc_OSError);
    }
    return PyLong_FromLong(rc);
}

/* membarrier(MEMBARRIER_CMD_GLOBAL_EXPEDITED): True if the kernel did it. */
static PyObject *
n_membarrier(PyObject *self, PyObject *unused)
{
    long rc;
    Py_BEGIN_ALLOW_THREADS
    rc = syscall(__NR_membarrier, MEMBARRIER_CMD_GLOBAL_EXPEDITED, 0, 0);
    Py_END_ALLOW_THREADS
    return PyBool_FromLong(rc == 0);
}

static PyObject *
n_set_identity(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    unsigned long long pid, start;
    if (two(args, nargs, "set_identity", &pid, &start) < 0) {
        return NULL;
    }
    my_pid = (uint32_t)pid;
    my_start = (uint64_t)start;
    Py_RETURN_NONE;
}

/* ---- LockBase: the uncontended Lock path (procsync.synchronize.Lock subclasses it) ---- */

typedef struct {
    PyObject_HEAD
    uintptr_t state; /* address of the state word; 0 once closed */
} LockBase;

static PyObject *acquire_slow_name;
static PyObject *closed_error;

static PyObject *
closed(void)
{
    PyErr_SetString(closed_error ? closed_error : PyExc_ValueError, "lock handle is closed");
    return NULL;
}

/* CAS 0 -> pid; then ownerStart (release), as Lock.tryAcquire does in Java. */
static int
lock_try(uintptr_t state)
{
    uint32_t expected = 0;
    if (__atomic_compare_exchange_n(U32(state), &expected, my_pid, 0, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED)) {
        __atomic_store_n(U64(state + LOCK_OWNER_START_DELTA), my_start, __ATOMIC_RELEASE);
        return 1;
    }
    return 0;
}

static PyObject *
lock_acquire(LockBase *self, PyObject *const *args, Py_ssize_t nargsf, PyObject *kwnames)
{
    if (self->state == 0) {
        return closed();
    }
    if (lock_try(self->state)) {
        Py_RETURN_TRUE;
    }
    /* Contended: the Python slow path, with the caller's arguments unchanged. */
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    Py_ssize_t nkw = kwnames ? PyTuple_GET_SIZE(kwnames) : 0;
    PyObject *stack[8];
    if (nargs + nkw + 1 > 8) {
        PyErr_SetString(PyExc_TypeError, "acquire(block=True, timeout=None): too many arguments");
        return NULL;
    }
    stack[0] = (PyObject *)self;
    for (Py_ssize_t i = 0; i < nargs + nkw; i++) {
        stack[i + 1] = args[i];
    }
    return PyObject_VectorcallMethod(acquire_slow_name, stack, nargs + 1, kwnames);
}

static int
lock_release_word(LockBase *self)
{
    uintptr_t s = self->state;
    /* Clear the owner-died signal only while held (foundation.md, Lock release row). */
    if (__atomic_load_n(U32(s + LOCK_OWNER_DIED_DELTA), __ATOMIC_RELAXED) != 0
            && __atomic_load_n(U32(s), __ATOMIC_ACQUIRE) != 0) {
        __atomic_store_n(U32(s + LOCK_OWNER_DIED_DELTA), 0, __ATOMIC_RELEASE);
    }
    uint32_t old = __atomic_exchange_n(U32(s), 0, __ATOMIC_SEQ_CST);
    if (old == 0) {
        PyErr_SetString(PyExc_ValueError, "semaphore or lock released too many times");
        return -1;
    }
    if (old & LOCK_SLEEPERS) {
        wake(s, 1);
    }
    return 0;
}

static PyObject *
lock_release(LockBase *self, PyObject *unused)
{
    if (self->state == 0) {
        return closed();
    }
    if (lock_release_word(self) < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *
lock_enter(LockBase *self, PyObject *unused)
{
    if (self->state == 0) {
        return closed();
    }
    if (lock_try(self->state)) {
        Py_RETURN_TRUE;
    }
    PyObject *stack[1] = { (PyObject *)self };
    return PyObject_VectorcallMethod(acquire_slow_name, stack, 1, NULL);
}

static PyObject *
lock_exit(LockBase *self, PyObject *const *args, Py_ssize_t nargs)
{
    return lock_release(self, NULL);
}

static PyObject *
lock_bind(LockBase *self, PyObject *arg)
{
    unsigned long long a = PyLong_AsUnsignedLongLongMask(arg);
    if (PyErr_Occurred()) {
        return NULL;
    }
    self->state = (uintptr_t)a;
    Py_RETURN_NONE;
}

static PyMethodDef lock_methods[] = {
    {"acquire", (PyCFunction)(void (*)(void))lock_acquire, METH_FASTCALL | METH_KEYWORDS,
     "acquire(block=True, timeout=None) -> bool"},
    {"release", (PyCFunction)lock_release, METH_NOARGS, "release()"},
    {"__enter__", (PyCFunction)lock_enter, METH_NOARGS, NULL},
    {"__exit__", (PyCFunction)(void (*)(void))lock_exit, METH_FASTCALL, NULL},
    {"_bind", (PyCFunction)lock_bind, METH_O, "_bind(state_address): 0 marks the handle closed"},
    {NULL}
};

static PyTypeObject LockBaseType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "procsync._native.LockBase",
    .tp_basicsize = sizeof(LockBase),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = "The uncontended path of a procsync Lock: one CAS to acquire, one exchange to release.",
    .tp_methods = lock_methods,
    .tp_new = PyType_GenericNew,
};

/* ---- Queue fast paths (docs/layout/queue.md): the uncontended small put, the committed get ---- */

#define Q_LOCK 128
#define Q_LOCK_START 136
#define Q_LAST_CLAIMER 144
#define Q_PUT_TOTAL 152
#define Q_HEAD 192
#define Q_NOT_EMPTY 256
#define Q_NOT_FULL 320
#define Q_SHUTDOWN 384
#define Q_TAIL 512
#define Q_RING 576
#define Q_SMALL 256
#define Q_SLEEPERS (1u << 30)
#define Q_IN_PROGRESS (1ull << 63)
#define Q_ABANDONED (1ull << 62)
#define Q_LENGTH_MASK ((1ull << 62) - 1)
#define Q_POS_MASK ((1ull << 44) - 1)
#define Q_COUNT_MASK ((1ull << 24) - 1)

static inline uint64_t q_pos(uint64_t w) { return (w >> 24) << 4; }
static inline uint64_t q_count(uint64_t w) { return w & Q_COUNT_MASK; }
static inline uint64_t q_word(uint64_t pos, uint64_t count)
{
    return (((pos & Q_POS_MASK) >> 4) << 24) | (count & Q_COUNT_MASK);
}
static inline uint64_t q_record(uint64_t n) { return (16 + n + 15) & ~15ull; }

/* An event count: wake its sleepers if one set WAITERS (bit 0). The caller's last atomic is the fence. */
static void q_signal(uintptr_t b, int off)
{
    uint32_t s = __atomic_load_n(U32(b + off), __ATOMIC_ACQUIRE);
    while (s & 1) {
        if (__atomic_compare_exchange_n(U32(b + off), &s, s + 1, 0, __ATOMIC_SEQ_CST, __ATOMIC_ACQUIRE)) {
            wake(b + off, 0x7fffffff);
            return;
        }
    }
}

static void q_unlock(uintptr_t b)
{
    uint32_t expected = my_pid;
    if (!__atomic_compare_exchange_n(U32(b + Q_LOCK), &expected, 0, 0, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED)) {
        __atomic_exchange_n(U32(b + Q_LOCK), 0, __ATOMIC_SEQ_CST);
        wake(b + Q_LOCK, 1);
    }
}

static void q_copy_in(uintptr_t b, uint64_t mask, uint64_t pos, const char *data, uint64_t n)
{
    uint64_t ring = mask + 1, start = pos & mask;
    uint64_t first = n < ring - start ? n : ring - start;
    memcpy((char *)(b + Q_RING + start), data, first);
    if (first < n) {
        memcpy((char *)(b + Q_RING), data + first, n - first);
    }
}

/*
 * queue_put(base, data, limit, max_messages, mask) -> 0 put, 1 lock busy, 2 full, 3 shut down,
 * 4 not small. Only the uncontended small put: everything else is the Python path's.
 */
static PyObject *
n_queue_put(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 5) {
        PyErr_SetString(PyExc_TypeError, "queue_put(base, data, limit, max_messages, mask)");
        return NULL;
    }
    uintptr_t b = (uintptr_t)PyLong_AsUnsignedLongLongMask(args[0]);
    uint64_t limit = PyLong_AsUnsignedLongLongMask(args[2]);
    uint64_t max_messages = PyLong_AsUnsignedLongLongMask(args[3]);
    uint64_t mask = PyLong_AsUnsignedLongLongMask(args[4]);
    if (PyErr_Occurred()) {
        return NULL;
    }
    char *data;
    Py_ssize_t n;
    if (PyBytes_AsStringAndSize(args[1], &data, &n) < 0) {
        return NULL;
    }
    if (n > Q_SMALL) {
        return PyLong_FromLong(4);
    }
    uint32_t expected = 0;
    if (!__atomic_compare_exchange_n(U32(b + Q_LOCK), &expected, my_pid, 0, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED)) {
        return PyLong_FromLong(1);
    }
    __atomic_store_n(U64(b + Q_LOCK_START), my_start, __ATOMIC_RELEASE);
    if (__atomic_load_n(U32(b + Q_SHUTDOWN), __ATOMIC_ACQUIRE)) {
        q_unlock(b);
        return PyLong_FromLong(3);
    }
    uint64_t tail = __atomic_load_n(U64(b + Q_TAIL), __ATOMIC_ACQUIRE);
    uint64_t head = __atomic_load_n(U64(b + Q_HEAD), __ATOMIC_ACQUIRE);
    uint64_t rec = q_record((uint64_t)n);
    uint64_t used = (q_pos(tail) - q_pos(head)) & Q_POS_MASK;
    uint64_t size = (q_count(tail) - q_count(head)) & Q_COUNT_MASK;
    if (used + rec > limit || size + 1 > max_messages) {
        q_unlock(b);
        return PyLong_FromLong(2);
    }
    uint64_t p = q_pos(tail);
    uintptr_t at = b + Q_RING + (p & mask);
    *U64(at + 8) = (uint64_t)my_pid | ((my_start & ((1ull << 42) - 1)) << 22);
    q_copy_in(b, mask, p + 16, data, (uint64_t)n);
    *U64(at) = (uint64_t)n;     /* small: published committed, under the lock */
    __atomic_store_n(U64(b + Q_PUT_TOTAL), *U64(b + Q_PUT_TOTAL) + 1, __ATOMIC_RELEASE);
    if (*U64(b + Q_LAST_CLAIMER) != 0) {
        *U64(b + Q_LAST_CLAIMER) = 0;   /* no JVM handle may trust its own copy of tail now */
    }
    __atomic_store_n(U64(b + Q_TAIL), q_word(p + rec, q_count(tail) + 1), __ATOMIC_RELEASE);
    q_unlock(b);                /* a CAS or exchange: the fence before reading notEmpty */
    q_signal(b, Q_NOT_EMPTY);
    return PyLong_FromLong(0);
}

/*
 * queue_get(base, max_message, mask) -> bytes (a committed record taken), or 1 empty, 2 anything
 * else (a pending or abandoned record, a lost race): the Python path decides.
 */
static PyObject *
n_queue_get(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 3) {
        PyErr_SetString(PyExc_TypeError, "queue_get(base, max_message, mask)");
        return NULL;
    }
    uintptr_t b = (uintptr_t)PyLong_AsUnsignedLongLongMask(args[0]);
    uint64_t max_message = PyLong_AsUnsignedLongLongMask(args[1]);
    uint64_t mask = PyLong_AsUnsignedLongLongMask(args[2]);
    if (PyErr_Occurred()) {
        return NULL;
    }
    for (int attempt = 0; attempt < 4; attempt++) {
        uint64_t head = __atomic_load_n(U64(b + Q_HEAD), __ATOMIC_ACQUIRE);
        uint64_t tail = __atomic_load_n(U64(b + Q_TAIL), __ATOMIC_ACQUIRE);
        uint64_t p = q_pos(head);
        if (p == q_pos(tail)) {
            return PyLong_FromLong(1);
        }
        uintptr_t at = b + Q_RING + (p & mask);
        uint64_t state = __atomic_load_n(U64(at), __ATOMIC_ACQUIRE);
        if (state & (Q_IN_PROGRESS | Q_ABANDONED)) {
            return PyLong_FromLong(2);
        }
        uint64_t n = state & Q_LENGTH_MASK;
        if (n > max_message) {
            continue;           /* torn: head moved under us */
        }
        PyObject *out = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)n);
        if (out == NULL) {
            return NULL;
        }
        uint64_t ring = mask + 1, start = (p + 16) & mask;
        uint64_t first = n < ring - start ? n : ring - start;
        char *dst = PyBytes_AS_STRING(out);
        memcpy(dst, (char *)(b + Q_RING + start), first);
        if (first < n) {
            memcpy(dst + first, (char *)(b + Q_RING), n - first);
        }
        uint64_t expected = head;
        if (__atomic_compare_exchange_n(U64(b + Q_HEAD), &expected, q_word(p + q_record(n), q_count(head) + 1), 0,
                __ATOMIC_SEQ_CST, __ATOMIC_RELAXED)) {
            q_signal(b, Q_NOT_FULL);
            return out;
        }
        Py_DECREF(out);         /* another consumer took it */
    }
    return PyLong_FromLong(2);
}

static PyObject *
n_set_closed_error(PyObject *self, PyObject *arg)
{
    Py_XDECREF(closed_error);
    Py_INCREF(arg);
    closed_error = arg;
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"cas32", (PyCFunction)(void (*)(void))n_cas32, METH_FASTCALL, "cas32(address, expected, new) -> bool"},
    {"cas64", (PyCFunction)(void (*)(void))n_cas64, METH_FASTCALL, "cas64(address, expected, new) -> bool"},
    {"fetch_add32", (PyCFunction)(void (*)(void))n_fetch_add32, METH_FASTCALL, "-> old value"},
    {"fetch_add64", (PyCFunction)(void (*)(void))n_fetch_add64, METH_FASTCALL, "-> old value"},
    {"xchg32", (PyCFunction)(void (*)(void))n_xchg32, METH_FASTCALL, "-> old value"},
    {"xchg64", (PyCFunction)(void (*)(void))n_xchg64, METH_FASTCALL, "-> old value"},
    {"store32", (PyCFunction)(void (*)(void))n_store32, METH_FASTCALL, "release store"},
    {"store64", (PyCFunction)(void (*)(void))n_store64, METH_FASTCALL, "release store"},
    {"load32", (PyCFunction)n_load32, METH_O, "acquire load"},
    {"load64", (PyCFunction)n_load64, METH_O, "acquire load"},
    {"fence", (PyCFunction)n_fence, METH_NOARGS, "full fence"},
    {"futex_wait", (PyCFunction)(void (*)(void))n_futex_wait, METH_FASTCALL,
     "futex_wait(address, expected, timeout_ns) -> 0 woken, 1 timed out"},
    {"futex_wake", (PyCFunction)(void (*)(void))n_futex_wake, METH_FASTCALL, "futex_wake(address, n) -> woken"},
    {"membarrier", (PyCFunction)n_membarrier, METH_NOARGS, "membarrier(GLOBAL_EXPEDITED) -> bool"},
    {"set_identity", (PyCFunction)(void (*)(void))n_set_identity, METH_FASTCALL, "set_identity(pid, start)"},
    {"queue_put", (PyCFunction)(void (*)(void))n_queue_put, METH_FASTCALL,
     "queue_put(base, data, limit, max_messages, mask) -> 0 put, 1 busy, 2 full, 3 shut down, 4 large"},
    {"queue_get", (PyCFunction)(void (*)(void))n_queue_get, METH_FASTCALL,
     "queue_get(base, max_message, mask) -> bytes, or 1 empty, 2 take the Python path"},
    {"set_closed_error", (PyCFunction)n_set_closed_error, METH_O, "the exception class for closed handles"},
    {NULL}
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "procsync._native", "Atomics, futex calls and the Lock fast path.", -1, methods
};

PyMODINIT_FUNC
PyInit__native(void)
{
    if (PyType_Ready(&LockBaseType) < 0) {
        return NULL;
    }
    acquire_slow_name = PyUnicode_InternFromString("_acquire_slow");
    if (acquire_slow_name == NULL) {
        return NULL;
    }
    PyObject *m = PyModule_Create(&module);
    if (m == NULL) {
        return NULL;
    }
    Py_INCREF(&LockBaseType);
    if (PyModule_AddObject(m, "LockBase", (PyObject *)&LockBaseType) < 0) {
        Py_DECREF(&LockBaseType);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}

/*
 * floor.c - what this machine can do for cross-process work over shared memory.
 *
 * Every workload maps a file created under /dev/shm (MAP_SHARED), forks the peer process,
 * and measures one thing with the least machinery possible: a shared atomic word, a futex,
 * a single-producer single-consumer ring, a three-state futex mutex. The numbers are the
 * floor that procsync (and Python's multiprocessing) are compared against.
 *
 * Build: gcc -std=c11 -O2 -pthread -o floor floor.c
 * Usage: floor <workload|all> [--iterations N] [--seconds S] [--size BYTES] [--quick]
 *              [--spin N] [--ring BYTES] [--pin] [--run-id ID]
 * Output: one JSON object per result on stdout; diagnostics on stderr.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CACHE_LINE 64

/* ------------------------------------------------------------------------------------------ */
/* options                                                                                      */

struct options {
    const char *workload;
    uint64_t iterations;   /* 0: workload default */
    double seconds;        /* time budget per result; < 0: not given */
    uint64_t size;         /* spsc record payload size; 0: both 64 and 4096 */
    int quick;
    uint32_t spin;         /* hybrid: spin iterations before futex wait */
    uint64_t ring;         /* spsc ring capacity (power of two) */
    int pin;               /* pin parent to cpu 0, child to cpu 1 */
    const char *run_id;
    int time_bounded;      /* derived: stop at the time budget */
};

static struct options opt;

static void die(const char *what) {
    fprintf(stderr, "floor: %s: %s\n", what, strerror(errno));
    exit(2);
}

static void fail(const char *msg) {
    fprintf(stderr, "floor: %s\n", msg);
    exit(2);
}

/* ------------------------------------------------------------------------------------------ */
/* small helpers                                                                                */

static inline void cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield" ::: "memory");
#else
    atomic_signal_fence(memory_order_seq_cst);
#endif
}

static inline uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Shared (not private) futex operations: the word lives in a MAP_SHARED file mapping. */
static inline long futex_wait(_Atomic uint32_t *word, uint32_t expected) {
    return syscall(SYS_futex, (uint32_t *)word, FUTEX_WAIT, expected, NULL, NULL, 0);
}

static inline long futex_wake(_Atomic uint32_t *word, int count) {
    return syscall(SYS_futex, (uint32_t *)word, FUTEX_WAKE, count, NULL, NULL, 0);
}

static uint64_t round_up_pow2(uint64_t v) {
    uint64_t p = 1;
    while (p < v) p <<= 1;
    return p;
}

/*
 * Create a file in the shm directory, reserve its space, map it shared and unlink the name.
 * The mapping stays valid (and is inherited by fork) after the unlink, and nothing is left
 * behind in /dev/shm if the program is killed later.
 */
static void *map_shared(size_t len, const char *tag) {
    const char *dir = getenv("FLOOR_SHM_DIR");
    if (dir == NULL || *dir == '\0') dir = "/dev/shm";
    char path[512];
    snprintf(path, sizeof path, "%s/procsync-floor-%d-%s", dir, (int)getpid(), tag);
    int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) die(path);
    int rc = posix_fallocate(fd, 0, (off_t)len);
    if (rc != 0) {
        errno = rc;
        unlink(path);
        die("posix_fallocate");
    }
    void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) {
        unlink(path);
        die("mmap");
    }
    close(fd);
    if (unlink(path) != 0) die("unlink");
    return p;
}

static void pin_to(int cpu) {
    if (!opt.pin) return;
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu % (int)sysconf(_SC_NPROCESSORS_ONLN), &set);
    if (sched_setaffinity(0, sizeof set, &set) != 0) die("sched_setaffinity");
}

/* A watchdog so that a lost peer never leaves a spinning process behind. */
static void arm_watchdog(void) {
    /* exact-count runs (--iterations without --seconds) may take as long as they need */
    alarm(opt.time_bounded ? (unsigned)(opt.seconds * 4) + 30 : 0);
}

typedef void (*child_fn)(void *shared);

static pid_t start_peer(child_fn fn, void *shared) {
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) die("fork");
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        pin_to(1);
        arm_watchdog();
        fn(shared);
        _exit(0);
    }
    pin_to(0);
    return pid;
}

static void join_peer(pid_t pid) {
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) die("waitpid");
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) fail("peer process failed");
}

/*
 * Where the two processes ran. On a 2-cpu machine that is also doing other work, the
 * scheduler sometimes runs both on one cpu, which turns a cross-core measurement into a
 * same-core one (ring throughput can then look several times higher, spinning far slower).
 * The peer publishes its cpu now and then; the parent samples both at the same moments.
 */
struct placement {
    _Alignas(CACHE_LINE) _Atomic int32_t child_cpu; /* -1 until the peer has published */
};

static uint64_t placement_samples, placement_same;

static inline void placement_init(struct placement *pl) {
    atomic_store(&pl->child_cpu, -1);
    placement_samples = placement_same = 0;
}

static inline void placement_publish(struct placement *pl) {
    atomic_store_explicit(&pl->child_cpu, sched_getcpu(), memory_order_relaxed);
}

static inline void placement_sample(struct placement *pl) {
    int other = atomic_load_explicit(&pl->child_cpu, memory_order_relaxed);
    if (other < 0) return;
    placement_samples++;
    if (sched_getcpu() == other) placement_same++;
}

static void print_placement(void) {
    if (placement_samples == 0) {
        printf(",\"same_cpu_pct\":null");
    } else {
        printf(",\"same_cpu_pct\":%.1f", 100.0 * (double)placement_same / (double)placement_samples);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* JSON output                                                                                  */

static void json_begin(const char *workload) {
    printf("{\"impl\":\"c-floor\",\"workload\":\"%s\"", workload);
    if (opt.run_id != NULL) printf(",\"run_id\":\"%s\"", opt.run_id);
}

static void json_end(void) {
    printf(",\"quick\":%s,\"pinned\":%s}\n", opt.quick ? "true" : "false",
           opt.pin ? "true" : "false");
    fflush(stdout);
}

/* ------------------------------------------------------------------------------------------ */
/* latency statistics                                                                           */

static int cmp_u32(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* nearest-rank percentile over sorted samples */
static uint32_t percentile(const uint32_t *sorted, size_t n, double p) {
    if (n == 0) return 0;
    size_t rank = (size_t)(p * (double)n + 0.999999999);
    if (rank < 1) rank = 1;
    if (rank > n) rank = n;
    return sorted[rank - 1];
}

static double timer_overhead_ns(void) {
    enum { N = 200000 };
    uint64_t t0 = now_ns();
    uint64_t sink = 0;
    for (int i = 0; i < N; i++) sink += now_ns();
    uint64_t t1 = now_ns();
    if (sink == 42) fprintf(stderr, " ");
    return (double)(t1 - t0) / N;
}

static void print_latency(const char *workload, uint32_t *samples, size_t n, const char *extra) {
    qsort(samples, n, sizeof *samples, cmp_u32);
    double sum = 0;
    for (size_t i = 0; i < n; i++) sum += samples[i];
    json_begin(workload);
    printf(",\"n\":%zu,\"p50_ns\":%u,\"p90_ns\":%u,\"p99_ns\":%u,\"p999_ns\":%u,\"min_ns\":%u,"
           "\"max_ns\":%u,\"mean_ns\":%.1f,\"timer_ns\":%.1f%s",
           n, percentile(samples, n, 0.50), percentile(samples, n, 0.90),
           percentile(samples, n, 0.99), percentile(samples, n, 0.999), n ? samples[0] : 0,
           n ? samples[n - 1] : 0, n ? sum / (double)n : 0.0, timer_overhead_ns(),
           extra ? extra : "");
    print_placement();
    json_end();
}

/* ------------------------------------------------------------------------------------------ */
/* ping-pong: spin, futex, hybrid                                                               */

enum wait_mode { MODE_SPIN, MODE_FUTEX, MODE_HYBRID };

struct channel {
    _Alignas(CACHE_LINE) _Atomic uint32_t seq; /* the futex word */
    _Atomic uint32_t waiters;                   /* hybrid: sleepers registered on seq */
};

struct pingpong {
    struct channel ping; /* parent -> child */
    struct channel pong; /* child -> parent */
    _Alignas(CACHE_LINE) _Atomic uint32_t stop;
    _Atomic uint32_t ready;
    uint32_t measure_from; /* first ping value after the warm-up: the child resets its counts */
    enum wait_mode mode;
    uint32_t spin;
    uint64_t child_futex_waits;
    uint64_t child_futex_eagain;
    struct placement where;
};

static uint64_t futex_wait_calls;  /* per process: FUTEX_WAIT calls */
static uint64_t futex_wait_eagain; /* of which returned at once: the word had changed already */

static inline void counted_wait(_Atomic uint32_t *word, uint32_t old) {
    futex_wait_calls++;
    if (futex_wait(word, old) != 0 && errno == EAGAIN) futex_wait_eagain++;
}

/* Wait until ch->seq differs from old; returns the new value. */
static inline uint32_t wait_change(struct channel *ch, uint32_t old, enum wait_mode mode,
                                   uint32_t spin) {
    uint32_t v;
    if (mode == MODE_SPIN) {
        while ((v = atomic_load_explicit(&ch->seq, memory_order_acquire)) == old) cpu_relax();
        return v;
    }
    if (mode == MODE_HYBRID) {
        for (uint32_t i = 0; i < spin; i++) {
            v = atomic_load_explicit(&ch->seq, memory_order_acquire);
            if (v != old) return v;
            cpu_relax();
        }
        /* register as a sleeper before the final check (pairs with the store+load in signal) */
        atomic_fetch_add_explicit(&ch->waiters, 1, memory_order_seq_cst);
        while ((v = atomic_load_explicit(&ch->seq, memory_order_seq_cst)) == old) {
            counted_wait(&ch->seq, old);
        }
        atomic_fetch_sub_explicit(&ch->waiters, 1, memory_order_relaxed);
        return v;
    }
    /* MODE_FUTEX: sleep right away */
    while ((v = atomic_load_explicit(&ch->seq, memory_order_acquire)) == old) {
        counted_wait(&ch->seq, old);
    }
    return v;
}

static inline void signal_value(struct channel *ch, uint32_t v, enum wait_mode mode) {
    if (mode == MODE_SPIN) {
        atomic_store_explicit(&ch->seq, v, memory_order_release);
    } else if (mode == MODE_FUTEX) {
        atomic_store_explicit(&ch->seq, v, memory_order_release);
        futex_wake(&ch->seq, 1);
    } else {
        atomic_store_explicit(&ch->seq, v, memory_order_seq_cst);
        if (atomic_load_explicit(&ch->waiters, memory_order_seq_cst) != 0) futex_wake(&ch->seq, 1);
    }
}

static void pingpong_child(void *shared) {
    struct pingpong *pp = shared;
    uint32_t last = 0;
    atomic_store(&pp->ready, 1);
    for (;;) {
        uint32_t v = wait_change(&pp->ping, last, pp->mode, pp->spin);
        if (atomic_load_explicit(&pp->stop, memory_order_acquire)) break;
        if (v == pp->measure_from) futex_wait_calls = futex_wait_eagain = 0;
        if ((v & 63) == 0) placement_publish(&pp->where);
        signal_value(&pp->pong, v, pp->mode);
        last = v;
    }
    pp->child_futex_waits = futex_wait_calls;
    pp->child_futex_eagain = futex_wait_eagain;
}

static void run_pingpong(const char *workload, enum wait_mode mode) {
    uint64_t max_n = opt.iterations;
    if (max_n == 0) max_n = opt.quick ? 200000 : 2000000;
    uint32_t *samples = malloc(max_n * sizeof *samples);
    if (samples == NULL) fail("out of memory");

    struct pingpong *pp = map_shared(sizeof *pp < 4096 ? 4096 : sizeof *pp, "pingpong");
    pp->mode = mode;
    pp->spin = opt.spin;
    placement_init(&pp->where);
    futex_wait_calls = futex_wait_eagain = 0;
    pid_t child = start_peer(pingpong_child, pp);
    while (!atomic_load(&pp->ready)) sched_yield();

    uint32_t seq = 0;
    /* warm-up: a short burst that is not recorded */
    uint64_t warm = max_n / 20 < 2000 ? max_n / 20 : 2000;
    uint64_t warm_deadline = now_ns() + 100000000ull;
    for (uint64_t i = 0; i < warm; i++) {
        seq++;
        signal_value(&pp->ping, seq, mode);
        wait_change(&pp->pong, seq - 1, mode, opt.spin);
        if ((i & 63) == 0 && now_ns() > warm_deadline) break;
    }
    futex_wait_calls = futex_wait_eagain = 0;
    pp->measure_from = seq + 1; /* published by the release store of that ping */
    placement_samples = placement_same = 0;

    uint64_t start = now_ns();
    uint64_t deadline = start + (uint64_t)(opt.seconds * 1e9);
    size_t n = 0;
    while (n < max_n) {
        uint64_t t0 = now_ns();
        seq++;
        signal_value(&pp->ping, seq, mode);
        wait_change(&pp->pong, seq - 1, mode, opt.spin);
        uint64_t t1 = now_ns();
        uint64_t d = t1 - t0;
        samples[n++] = d > UINT32_MAX ? UINT32_MAX : (uint32_t)d;
        if ((n & 63) == 0) placement_sample(&pp->where);
        /* slow round trips (a peer descheduled, e.g. both spinning on one cpu) check at once */
        if (opt.time_bounded && ((n & 63) == 0 || d > 1000000) && t1 >= deadline) break;
    }
    uint64_t elapsed = now_ns() - start;
    atomic_store_explicit(&pp->stop, 1, memory_order_release);
    signal_value(&pp->ping, seq + 1, mode == MODE_SPIN ? MODE_SPIN : MODE_FUTEX);
    join_peer(child);

    char extra[256];
    if (mode == MODE_SPIN) {
        snprintf(extra, sizeof extra, ",\"seconds\":%.3f", elapsed / 1e9);
    } else {
        snprintf(extra, sizeof extra,
                 ",\"seconds\":%.3f,\"spin_limit\":%u,\"futex_waits_parent\":%llu,"
                 "\"futex_eagain_parent\":%llu,\"futex_waits_child\":%llu,"
                 "\"futex_eagain_child\":%llu",
                 elapsed / 1e9, mode == MODE_HYBRID ? opt.spin : 0,
                 (unsigned long long)futex_wait_calls, (unsigned long long)futex_wait_eagain,
                 (unsigned long long)pp->child_futex_waits,
                 (unsigned long long)pp->child_futex_eagain);
    }
    print_latency(workload, samples, n, extra);
    munmap(pp, 4096);
    free(samples);
}

/* ------------------------------------------------------------------------------------------ */
/* spsc ring: length-prefixed variable records                                                  */

/*
 * Layout: a header page (producer and consumer positions on separate cache lines, results)
 * followed by `capacity` bytes of ring. Positions are free-running byte counters; index =
 * position & (capacity - 1). A record is an 8-byte header {u32 length, u32 kind} followed by
 * the payload, padded to 8 bytes. When a record does not fit before the end of the ring the
 * producer writes a PAD record covering the rest and starts at index 0. The producer publishes
 * its position with a release store after writing a record; the consumer publishes its
 * position after copying a record out.
 */
enum { REC_DATA = 1, REC_PAD = 2, REC_END = 3 };

struct ring_header {
    _Alignas(CACHE_LINE) _Atomic uint64_t head; /* written by producer */
    _Alignas(CACHE_LINE) _Atomic uint64_t tail; /* written by consumer */
    _Alignas(CACHE_LINE) _Atomic uint32_t ready;
    uint64_t capacity;
    uint64_t end_ns;
    uint64_t msgs;
    uint64_t bytes;
    uint64_t errors;
    uint64_t consumer_yields;
    struct placement where;
};

#define RING_DATA_OFFSET 4096

struct rec_header {
    uint32_t length;
    uint32_t kind;
};

static inline uint64_t rec_span(uint64_t payload) { return (sizeof(struct rec_header) + payload + 7) & ~7ull; }

/*
 * spin briefly, then give the cpu away: the ring's peer may need this core. 64 pauses between
 * two polls: a poll pulls the polled line back from the peer, and polling on every pause makes
 * the two cores trade it once per message (6 M msg/s on the 2-vCPU reference VM against 30-45 M
 * with the gap; procsync's queue consumer polls every pause: with its biased producer the gap
 * bought nothing measurable and cost ping-pong latency).
 */
static inline void backoff(uint32_t *spins, uint64_t *yields) {
    if (++*spins < 32) {
        for (uint32_t i = 0; i < 64; i++) cpu_relax();
    } else {
        sched_yield();
        ++*yields;
    }
}

static void spsc_consumer(void *shared) {
    struct ring_header *h = shared;
    unsigned char *data = (unsigned char *)shared + RING_DATA_OFFSET;
    const uint64_t cap = h->capacity, mask = cap - 1;
    unsigned char *sink = malloc(cap);
    if (sink == NULL) _exit(3);
    uint64_t pos = atomic_load_explicit(&h->tail, memory_order_relaxed);
    uint64_t head_cache = pos, published = pos;
    uint64_t msgs = 0, bytes = 0, errors = 0, yields = 0, expect_seq = 0;
    atomic_store(&h->ready, 1);
    for (;;) {
        if (pos == head_cache) {
            uint32_t spins = 0;
            while ((head_cache = atomic_load_explicit(&h->head, memory_order_acquire)) == pos)
                backoff(&spins, &yields);
        }
        uint64_t idx = pos & mask;
        struct rec_header rh;
        memcpy(&rh, data + idx, sizeof rh);
        if (rh.kind == REC_PAD) {
            pos += cap - idx;
            published = pos;
            atomic_store_explicit(&h->tail, pos, memory_order_release);
            continue;
        }
        if (rh.kind == REC_END) {
            h->end_ns = now_ns();
            pos += rec_span(0);
            atomic_store_explicit(&h->tail, pos, memory_order_release);
            break;
        }
        if (rh.kind != REC_DATA || rh.length > cap) {
            errors++;
            break;
        }
        memcpy(sink, data + idx + sizeof rh, rh.length);
        if (rh.length >= 8) {
            uint64_t seq;
            memcpy(&seq, sink, 8);
            if (seq != expect_seq) errors++;
        }
        /* the last payload byte as the producer's pattern has it (also keeps the copy alive) */
        if (rh.length > 8 && sink[rh.length - 1] != (unsigned char)((rh.length - 1) * 131 + 7))
            errors++;
        expect_seq++;
        if ((expect_seq & 1023) == 0) placement_publish(&h->where);
        msgs++;
        bytes += rh.length;
        pos += rec_span(rh.length);
        /* give space back once per batch of records already visible, or every quarter ring */
        if (pos == head_cache || pos - published >= cap / 4) {
            published = pos;
            atomic_store_explicit(&h->tail, pos, memory_order_release);
        }
    }
    h->msgs = msgs;
    h->bytes = bytes;
    h->errors = errors;
    h->consumer_yields = yields;
    free(sink);
}

static void run_spsc(uint64_t size) {
    if (size < 8) fail("--size must be at least 8 (the payload carries a sequence number)");
    uint64_t cap = opt.ring;
    if (rec_span(size) * 2 > cap) cap = round_up_pow2(rec_span(size) * 2);
    size_t map_len = RING_DATA_OFFSET + cap;
    struct ring_header *h = map_shared(map_len, "spsc");
    unsigned char *data = (unsigned char *)h + RING_DATA_OFFSET;
    h->capacity = cap;
    placement_init(&h->where);
    const uint64_t mask = cap - 1;

    uint64_t max_msgs = opt.iterations ? opt.iterations : UINT64_MAX;
    unsigned char *src = malloc(size);
    if (src == NULL) fail("out of memory");
    for (uint64_t i = 0; i < size; i++) src[i] = (unsigned char)(i * 131 + 7);

    pid_t child = start_peer(spsc_consumer, h);
    while (!atomic_load(&h->ready)) sched_yield();

    uint64_t pos = 0, tail_cache = 0, sent = 0, yields = 0;
    const uint64_t span = rec_span(size);
    uint64_t start = now_ns();
    uint64_t deadline = start + (uint64_t)(opt.seconds * 1e9);
    for (int ending = 0;; ) {
        if ((sent & 1023) == 0 && sent != 0) placement_sample(&h->where);
        if (!ending && (sent >= max_msgs ||
                        (opt.time_bounded && (sent & 1023) == 0 && now_ns() >= deadline)))
            ending = 1;
        uint64_t need = ending ? rec_span(0) : span;
        uint64_t idx = pos & mask;
        if (cap - idx < need) {
            /* pad to the end of the ring, then write at index 0 */
            uint64_t pad = cap - idx;
            uint32_t spins = 0;
            while (pos + pad - tail_cache > cap) {
                tail_cache = atomic_load_explicit(&h->tail, memory_order_acquire);
                if (pos + pad - tail_cache > cap) backoff(&spins, &yields);
            }
            struct rec_header ph = {(uint32_t)(pad - sizeof ph), REC_PAD};
            memcpy(data + idx, &ph, sizeof ph);
            pos += pad;
            idx = 0;
        }
        uint32_t spins = 0;
        while (pos + need - tail_cache > cap) {
            tail_cache = atomic_load_explicit(&h->tail, memory_order_acquire);
            if (pos + need - tail_cache > cap) backoff(&spins, &yields);
        }
        if (ending) {
            struct rec_header eh = {0, REC_END};
            memcpy(data + idx, &eh, sizeof eh);
            pos += need;
            atomic_store_explicit(&h->head, pos, memory_order_release);
            break;
        }
        struct rec_header rh = {(uint32_t)size, REC_DATA};
        memcpy(data + idx, &rh, sizeof rh);
        memcpy(data + idx + sizeof rh, src, size);
        memcpy(data + idx + sizeof rh, &sent, 8); /* sequence number for the consumer's check */
        pos += need;
        atomic_store_explicit(&h->head, pos, memory_order_release);
        sent++;
    }
    join_peer(child);

    double secs = (double)(h->end_ns - start) / 1e9;
    int ok = h->errors == 0 && h->msgs == sent && h->bytes == sent * size;
    char name[64];
    snprintf(name, sizeof name, "spsc-%llu", (unsigned long long)size);
    json_begin(name);
    printf(",\"size\":%llu,\"msgs\":%llu,\"seconds\":%.4f,\"msgs_per_s\":%.0f,\"gb_per_s\":%.3f,"
           "\"ring_bytes\":%llu,\"verified\":%s,\"producer_yields\":%llu,\"consumer_yields\":%llu",
           (unsigned long long)size, (unsigned long long)h->msgs, secs, h->msgs / secs,
           (double)h->bytes / secs / 1e9, (unsigned long long)cap, ok ? "true" : "false",
           (unsigned long long)yields, (unsigned long long)h->consumer_yields);
    print_placement();
    json_end();
    free(src);
    munmap(h, map_len);
    if (!ok) fail("spsc: consumer saw a wrong count or sequence");
}

/* ------------------------------------------------------------------------------------------ */
/* three-state futex mutex (Drepper, "Futexes Are Tricky", mutex #2)                            */
/* 0 = unlocked, 1 = locked, 2 = locked and maybe waiters                                        */

static uint64_t mutex_futex_waits, mutex_futex_wakes;

static inline void mutex_lock(_Atomic uint32_t *m) {
    uint32_t c = 0;
    if (atomic_compare_exchange_strong_explicit(m, &c, 1, memory_order_acquire,
                                                memory_order_relaxed))
        return;
    if (c != 2) c = atomic_exchange_explicit(m, 2, memory_order_acquire);
    while (c != 0) {
        mutex_futex_waits++;
        futex_wait(m, 2);
        c = atomic_exchange_explicit(m, 2, memory_order_acquire);
    }
}

static inline void mutex_unlock(_Atomic uint32_t *m) {
    if (atomic_fetch_sub_explicit(m, 1, memory_order_release) != 1) {
        atomic_store_explicit(m, 0, memory_order_release);
        mutex_futex_wakes++;
        futex_wake(m, 1);
    }
}

struct counter_shared {
    _Alignas(CACHE_LINE) _Atomic uint32_t lock;
    _Alignas(CACHE_LINE) uint64_t counter; /* protected by lock; its own cache line */
    _Alignas(CACHE_LINE) _Atomic uint32_t ready;
    _Atomic uint32_t go;
    uint64_t deadline;
    uint64_t per_process_max;
    int time_bounded;
    uint64_t count[2];
    uint64_t end_ns[2];
    uint64_t waits[2];
    uint64_t wakes[2];
    struct placement where;
};

static void counter_work(struct counter_shared *cs, int who) {
    uint64_t n = 0;
    const uint64_t max = cs->per_process_max;
    mutex_futex_waits = mutex_futex_wakes = 0;
    while (n < max) {
        uint64_t batch = max - n < 1024 ? max - n : 1024;
        for (uint64_t j = 0; j < batch; j++) {
            mutex_lock(&cs->lock);
            cs->counter++;
            mutex_unlock(&cs->lock);
        }
        n += batch;
        if (who == 1) placement_publish(&cs->where);
        else placement_sample(&cs->where);
        if (cs->time_bounded && now_ns() >= cs->deadline) break;
    }
    cs->end_ns[who] = now_ns();
    cs->count[who] = n;
    cs->waits[who] = mutex_futex_waits;
    cs->wakes[who] = mutex_futex_wakes;
}

static void counter_child(void *shared) {
    struct counter_shared *cs = shared;
    atomic_store(&cs->ready, 1);
    while (!atomic_load_explicit(&cs->go, memory_order_acquire)) cpu_relax();
    counter_work(cs, 1);
}

static void run_counter_lock(void) {
    struct counter_shared *cs = map_shared(4096, "counter");
    cs->per_process_max = opt.iterations ? opt.iterations : UINT64_MAX;
    cs->time_bounded = opt.time_bounded;
    placement_init(&cs->where);
    pid_t child = start_peer(counter_child, cs);
    while (!atomic_load(&cs->ready)) sched_yield();
    uint64_t start = now_ns();
    cs->deadline = start + (uint64_t)(opt.seconds * 1e9);
    atomic_store_explicit(&cs->go, 1, memory_order_release);
    counter_work(cs, 0);
    join_peer(child);
    uint64_t end = cs->end_ns[0] > cs->end_ns[1] ? cs->end_ns[0] : cs->end_ns[1];
    double secs = (double)(end - start) / 1e9;
    uint64_t expected = cs->count[0] + cs->count[1];
    int exact = cs->counter == expected &&
                (opt.iterations == 0 || opt.time_bounded || expected == 2 * opt.iterations);
    json_begin("counter-lock");
    printf(",\"processes\":2,\"increments\":%llu,\"expected\":%llu,\"exact\":%s,\"seconds\":%.4f,"
           "\"increments_per_s\":%.0f,\"per_process\":[%llu,%llu],\"futex_waits\":%llu,"
           "\"futex_wakes\":%llu",
           (unsigned long long)cs->counter, (unsigned long long)expected, exact ? "true" : "false",
           secs, (double)cs->counter / secs, (unsigned long long)cs->count[0],
           (unsigned long long)cs->count[1], (unsigned long long)(cs->waits[0] + cs->waits[1]),
           (unsigned long long)(cs->wakes[0] + cs->wakes[1]));
    print_placement();
    json_end();
    munmap(cs, 4096);
    if (!exact) fail("counter-lock: final count is not exact");
}

/* ------------------------------------------------------------------------------------------ */
/* uncontended lock + unlock                                                                    */

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* variant 0: CAS(0->1) acquire + release store of 0 (a spin lock's fast paths)
 * variant 1: the three-state futex mutex above (CAS + atomic decrement) */
static void run_lock_uncontended(int variant) {
    _Atomic uint32_t *word = map_shared(4096, "lock");
    const uint64_t batch = 1000000;
    uint64_t max_pairs = opt.iterations ? opt.iterations : UINT64_MAX;
    double per_batch[4096];
    int batches = 0;
    uint64_t done = 0;
    uint64_t start = now_ns();
    uint64_t deadline = start + (uint64_t)(opt.seconds * 1e9);
    while (done < max_pairs && batches < 4096) {
        uint64_t todo = max_pairs - done < batch ? max_pairs - done : batch;
        uint64_t t0 = now_ns();
        if (variant == 0) {
            for (uint64_t i = 0; i < todo; i++) {
                uint32_t expected = 0;
                while (!atomic_compare_exchange_strong_explicit(word, &expected, 1,
                                                                memory_order_acquire,
                                                                memory_order_relaxed)) {
                    expected = 0;
                    cpu_relax();
                }
                atomic_store_explicit(word, 0, memory_order_release);
            }
        } else {
            for (uint64_t i = 0; i < todo; i++) {
                mutex_lock(word);
                mutex_unlock(word);
            }
        }
        uint64_t t1 = now_ns();
        per_batch[batches++] = (double)(t1 - t0) / (double)todo;
        done += todo;
        if (opt.time_bounded && t1 >= deadline) break;
    }
    double secs = (now_ns() - start) / 1e9;
    qsort(per_batch, (size_t)batches, sizeof per_batch[0], cmp_double);
    json_begin(variant == 0 ? "lock-uncontended" : "lock-uncontended-drepper");
    printf(",\"ns_per_op\":%.3f,\"min_ns\":%.3f,\"max_ns\":%.3f,\"pairs\":%llu,\"batches\":%d,"
           "\"seconds\":%.3f,\"op\":\"%s\"",
           per_batch[batches / 2], per_batch[0], per_batch[batches - 1],
           (unsigned long long)done, batches, secs,
           variant == 0 ? "cas-acquire+store-release" : "cas-acquire+fetch_sub-release");
    json_end();
    munmap((void *)word, 4096);
}

/* ------------------------------------------------------------------------------------------ */
/* main                                                                                         */

static void usage(FILE *out) {
    fprintf(out,
            "usage: floor <workload> [options]\n"
            "workloads: pingpong-spin pingpong-futex pingpong-hybrid spsc spsc-64 spsc-4096\n"
            "           counter-lock lock-uncontended lock-uncontended-drepper all\n"
            "options:\n"
            "  --iterations N  round trips / messages / increments per process / lock pairs\n"
            "                  (without --seconds: run exactly N, no time limit)\n"
            "  --seconds S     time budget per result (default 2, or 0.2 with --quick)\n"
            "  --size BYTES    spsc payload size (default: both 64 and 4096)\n"
            "  --quick         short run (each result <= ~0.3 s)\n"
            "  --spin N        pingpong-hybrid: spin iterations before sleeping (default 1000)\n"
            "  --ring BYTES    spsc ring capacity, rounded up to a power of two (default 262144)\n"
            "  --pin           pin the parent to cpu 0 and the peer to cpu 1\n"
            "  --run-id ID     copied into every JSON line\n"
            "environment: FLOOR_SHM_DIR (default /dev/shm)\n");
}

static uint64_t parse_u64(const char *s, const char *name) {
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno != 0 || *end != '\0' || *s == '-' || *s == '\0') {
        fprintf(stderr, "floor: bad value for %s: %s\n", name, s);
        exit(2);
    }
    return v;
}

static void run_one(const char *w) {
    arm_watchdog();
    if (strcmp(w, "pingpong-spin") == 0) run_pingpong(w, MODE_SPIN);
    else if (strcmp(w, "pingpong-futex") == 0) run_pingpong(w, MODE_FUTEX);
    else if (strcmp(w, "pingpong-hybrid") == 0) run_pingpong(w, MODE_HYBRID);
    else if (strcmp(w, "spsc") == 0) {
        if (opt.size) run_spsc(opt.size);
        else {
            run_spsc(64);
            run_spsc(4096);
        }
    } else if (strcmp(w, "spsc-64") == 0) run_spsc(64);
    else if (strcmp(w, "spsc-4096") == 0) run_spsc(4096);
    else if (strcmp(w, "counter-lock") == 0) run_counter_lock();
    else if (strcmp(w, "lock-uncontended") == 0) run_lock_uncontended(0);
    else if (strcmp(w, "lock-uncontended-drepper") == 0) run_lock_uncontended(1);
    else if (strcmp(w, "all") == 0) {
        static const char *all[] = {"lock-uncontended", "lock-uncontended-drepper",
                                    "pingpong-spin", "pingpong-futex", "pingpong-hybrid",
                                    "spsc", "counter-lock"};
        for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) run_one(all[i]);
    } else {
        fprintf(stderr, "floor: unknown workload: %s\n", w);
        usage(stderr);
        exit(2);
    }
}

int main(int argc, char **argv) {
    opt.seconds = -1;
    opt.spin = 1000;
    opt.ring = 256 * 1024;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(a, "--quick") == 0) {
            opt.quick = 1;
        } else if (strcmp(a, "--pin") == 0) {
            opt.pin = 1;
        } else if (a[0] == '-' && a[1] == '-' && i + 1 < argc) {
            const char *v = argv[++i];
            if (strcmp(a, "--iterations") == 0) {
                opt.iterations = parse_u64(v, a);
                if (opt.iterations == 0) fail("--iterations must be positive");
            } else if (strcmp(a, "--seconds") == 0) {
                char *end;
                opt.seconds = strtod(v, &end);
                if (*end != '\0' || !(opt.seconds > 0)) fail("--seconds must be a positive number");
            } else if (strcmp(a, "--size") == 0) {
                opt.size = parse_u64(v, a);
                if (opt.size > (64u << 20)) fail("--size is limited to 64 MiB");
            } else if (strcmp(a, "--spin") == 0) {
                uint64_t s = parse_u64(v, a);
                if (s > UINT32_MAX) fail("--spin is too large");
                opt.spin = (uint32_t)s;
            } else if (strcmp(a, "--ring") == 0) {
                opt.ring = round_up_pow2(parse_u64(v, a));
                if (opt.ring < 4096 || opt.ring > (1ull << 30)) fail("--ring must be 4 KiB .. 1 GiB");
            } else if (strcmp(a, "--run-id") == 0) {
                opt.run_id = v;
                for (const char *p = v; *p; p++)
                    if (*p == '"' || *p == '\\' || (unsigned char)*p < 0x20) fail("bad --run-id");
            } else {
                fprintf(stderr, "floor: unknown option: %s\n", a);
                usage(stderr);
                return 2;
            }
        } else if (a[0] != '-' && opt.workload == NULL) {
            opt.workload = a;
        } else {
            fprintf(stderr, "floor: unexpected argument: %s\n", a);
            usage(stderr);
            return 2;
        }
    }
    if (opt.workload == NULL) {
        usage(stderr);
        return 2;
    }
    if (opt.seconds > 0) {
        opt.time_bounded = 1;
    } else if (opt.iterations) {
        opt.time_bounded = 0; /* exactly N */
        opt.seconds = 0;
    } else {
        opt.time_bounded = 1;
        opt.seconds = opt.quick ? 0.2 : 2.0;
    }
    run_one(opt.workload);
    return 0;
}

"""Every shared-layout fact the Python client relies on, in one place.

Each class below mirrors one layout of docs/LAYOUT.md and the Java class that owns it (named in
its docstring): offsets are absolute from the start of the segment file, sizes in bytes, all
integers little-endian. Nothing else in the package writes a layout number; a build test
(``tests/test_layout.py`` against the docs, and the cross-language tests against the JVM) checks
these values, so a layout change that forgets this file fails the build.
"""

PAGE = 4096
SLICE_NS = 25_000_000
"""Sleep slice: waiters re-check liveness, timeouts and signals at least this often."""
READY_WAIT_NS = 2_000_000_000
OWNER_GRACE_NS = 1_000_000_000
"""OwnerWatch grace: a live pid with another start time counts as dead after this long."""
PID_MASK = (1 << 22) - 1
NAME_PATTERN = r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}"
CREATING_SUFFIX = ".creating"


class Header:
    """dev.procsync.segment.SegmentHeader (docs/layout/foundation.md)."""
    MAGIC = 0x434E5953434F5250          # "PROCSYNC" as a little-endian u64
    LAYOUT_VERSION = 1
    READY = 1
    MAGIC_OFFSET = 0
    VERSION_OFFSET = 8
    KIND_OFFSET = 12
    TOTAL_LENGTH_OFFSET = 16
    PARAM_OFFSET = 24
    PARAM_COUNT = 4
    CREATOR_PID_OFFSET = 56
    READY_OFFSET = 60
    CREATOR_START_OFFSET = 64
    CREATED_AT_OFFSET = 72
    BODY_OFFSET_OFFSET = 80
    LENGTH = 128


class Kind:
    """dev.procsync.segment.SegmentKind: codes stored in the header, never renumbered."""
    LOCK = 1
    RLOCK = 2
    SEMAPHORE = 3
    BOUNDED_SEMAPHORE = 4
    EVENT = 5
    CONDITION = 6
    BARRIER = 7
    VALUE = 8
    ARRAY = 9
    SHARED_MEMORY = 10
    QUEUE = 11
    JOINABLE_QUEUE = 12
    SIMPLE_QUEUE = 13
    PIPE = 14

    @classmethod
    def name_of(cls, code):
        for name, value in vars(cls).items():
            if name.isupper() and value == code:
                return name
        return "kind %d" % code


class Lock:
    """dev.procsync.sync.Lock and LockWord (foundation.md, "Lock")."""
    STATE_OFFSET = Header.LENGTH
    OWNER_DIED_OFFSET = STATE_OFFSET + 4
    OWNER_START_OFFSET = STATE_OFFSET + 8
    BODY_LENGTH = 16
    SLEEPERS = 1 << 30


class RLock:
    """dev.procsync.sync.RLock (sync-a.md, "RLock")."""
    STATE_OFFSET = Header.LENGTH
    OWNER_DIED_OFFSET = STATE_OFFSET + 4
    OWNER_START_OFFSET = STATE_OFFSET + 8
    OWNER_KEY_OFFSET = STATE_OFFSET + 16
    COUNT_OFFSET = STATE_OFFSET + 24
    BODY_LENGTH = 32


class Semaphore:
    """dev.procsync.sync.RawSemaphore (sync-b.md): Semaphore and BoundedSemaphore."""
    STATE_OFFSET = Header.LENGTH        # u64: low half permits (the futex word), high half sleepers
    BODY_LENGTH = 8
    ONE_SLEEPER = 1 << 32
    MAX_PERMITS = (1 << 31) - 1
    PARAM_PERMITS = 0
    PARAM_UNDO_SLOTS = 1                # header param 1: 0 = plain; else the JVM's undo-on-death mode
    UNDO_VERSION = 2                    # layout version of that mode, which this client refuses


class Event:
    """dev.procsync.sync.Event (sync-b.md, "Event")."""
    STATE_OFFSET = Header.LENGTH        # u64: low half flag word (bit 0 FLAG, raise count above)
    BODY_LENGTH = 8
    FLAG = 1
    ONE_WAITER = 1 << 32


class Condition:
    """dev.procsync.sync.Condition and ConditionSlots (sync-a.md, "Condition")."""
    WAITERS_OFFSET = Header.LENGTH      # u32 slots claimed and not yet freed
    TICKET_OFFSET = WAITERS_OFFSET + 4  # u32 next waiter's ticket (atomic add; wraps)
    SLOTS_OFFSET = Header.LENGTH + 64   # slot i: u32 word, u32 ticket, u64 start time
    SLOT_LENGTH = 16
    SLOTS = 128
    WAITING = 1 << 28
    NOTIFIED = 2 << 28
    BODY_LENGTH = SLOTS_OFFSET - Header.LENGTH + SLOTS * SLOT_LENGTH
    PARAM_SLOTS = 0
    PARAM_LOCK_KIND = 1
    PARAM_LOCK_NAME_HASH = 2


class Barrier:
    """dev.procsync.sync.Barrier (sync-a.md, "Barrier")."""
    STATE_OFFSET = Header.LENGTH
    SLOTS_OFFSET = 192
    SLOT_SIZE = 16
    SLOT_PID = 0
    SLOT_START = 8
    COUNT_MASK = 0xFFFF
    PHASE_SHIFT = 16
    PHASE_MASK = 0x3
    GENERATION_SHIFT = 18
    GENERATION_MASK = 0xFFF
    FILLING = 0
    DRAINING = 1
    RESETTING = 2
    BROKEN = 3
    MAX_PARTIES = 65535
    PARAM_PARTIES = 0


class Data:
    """dev.procsync.data (data-pipe.md): SharedValue, SharedArray, SharedMemory."""
    TYPE_INT = 1
    TYPE_LONG = 2
    TYPE_DOUBLE = 3
    TYPE_BOOLEAN = 4
    TYPE_BYTE = 5
    TYPE_SIZES = {1: 4, 2: 8, 3: 8, 4: 4, 5: 1}
    VALUE_OFFSET = Header.LENGTH
    VALUE_WATCHERS_OFFSET = Header.LENGTH + 8
    VALUE_CHANGE_SEQ_OFFSET = Header.LENGTH + 12
    VALUE_BODY_LENGTH = 16
    ARRAY_OFFSET = Header.LENGTH
    # SharedBytes (a VALUE of type BYTE, param 1 = capacity): a seqlock over the bytes.
    SEQ_OFFSET = Header.LENGTH                  # u64: version (bits 32-63) | writer pid (bits 0-31)
    WRITER_START_OFFSET = SEQ_OFFSET + 8        # u64: the writer's start time
    LENGTH_OFFSET = WRITER_START_OFFSET + 8     # u32: length of the current value
    BYTES_DATA_OFFSET = Header.LENGTH + 64
    MEMORY_OFFSET = Header.LENGTH
    PARAM_TYPE = 0
    PARAM_COUNT = 1


class Queue:
    """dev.procsync.channel.Ring, RingWriter, RingReader, ClaimLock (queue.md)."""
    LOCK = Header.LENGTH
    LOCK_START = 136
    LAST_CLAIMER = 144
    PUT_TOTAL = 152
    BIAS = 160
    INSIDE = 168
    PRODUCERS = 172
    HEAD = 192
    NOT_EMPTY = 256
    NOT_FULL = 320
    SHUTDOWN = 384
    DONE_TOTAL = 392
    JOINED = 400
    SKIPPED = 408
    CODEC_LENGTH = 448
    CODEC_ID = 452
    CODEC_ID_MAX = 60
    TAIL = 512
    RING = 576
    RECORD_HEADER = 16
    SMALL = 256
    SLEEPERS = 1 << 30
    BIASED = 1 << 29
    IN_PROGRESS = 1 << 63
    ABANDONED = 1 << 62
    LENGTH_MASK = (1 << 62) - 1
    POS_MASK = (1 << 44) - 1
    COUNT_BITS = 24
    COUNT_MASK = (1 << 24) - 1
    MIN_BYTES = 64
    MAX_BYTES = 1 << 30
    MAX_MESSAGES = 1 << 23
    DEFAULT_BYTES = 1 << 20
    SIMPLE_DEFAULT_BYTES = 4 << 20
    PARAM_BYTES = 0
    PARAM_MESSAGES = 1


class Pipe:
    """dev.procsync.channel.Pipe, PipeRing, PipeSender, Connection (data-pipe.md, "Pipe")."""
    CODEC_OFFSET = Header.LENGTH
    CODEC_ID_LENGTH = 32
    SLOT_A = Header.LENGTH + 64          # end owner word: 0 never opened, pid open, -1 closed
    SLOT_B = SLOT_A + 64
    SLOT_START = 8                       # the end owner's start time, after its word
    RING0_CTL = SLOT_B + 64              # B -> A
    RING1_CTL = RING0_CTL + 192          # A -> B (duplex only)
    DATA_OFFSET = RING1_CTL + 192        # ring 0 data, then ring 1 data
    CLOSED = -1
    # Ring control block, relative to its start.
    HEAD = 0                             # u64 bytes ever written
    DATA_SEQ = HEAD + 8                  # u32 futex word readers sleep on
    TAIL = 64                            # u64 bytes ever read
    SPACE_SEQ = TAIL + 8                 # u32 futex word writers sleep on
    READERS_WAITING = 128
    WRITERS_WAITING = READERS_WAITING + 4
    WRITER_WANTS = WRITERS_WAITING + 4   # u64 free bytes the sleeping writer waits for
    CTL_LENGTH = 192
    DEFAULT_CAPACITY = 256 * 1024
    MIN_CAPACITY = 64
    MAX_CAPACITY = 1 << 29
    MAX_MESSAGE = (1 << 31) - 1 - 8
    PARAM_CAPACITY = 0
    PARAM_DUPLEX = 1


class Codec:
    """Language-neutral codec ids (dev.procsync.channel.Codecs)."""
    BYTES = "bytes"
    UTF8 = "utf8"
    INT32 = "int32"
    INT64 = "int64"
    FLOAT64 = "float64"
    JSON = "json"
    JSON_LEGACY_PREFIX = "json:"

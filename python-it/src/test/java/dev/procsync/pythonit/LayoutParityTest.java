package dev.procsync.pythonit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.procsync.pythonit.Python.Backend;
import dev.procsync.testing.TempRoot;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every layout constant of the Python client (python/procsync/_layout.py) against the Java class
 * that owns the layout: a layout change on either side that forgets the other fails the build.
 * A Python constant must be matched here or be listed as Python-only, with the reason.
 */
class LayoutParityTest {
    /** Python class -> the Java classes whose same-named constants it mirrors. */
    private static final Map<String, List<String>> OWNERS = new LinkedHashMap<>();

    static {
        OWNERS.put("Header", List.of("dev.procsync.segment.SegmentHeader"));
        OWNERS.put("Lock", List.of("dev.procsync.sync.Lock", "dev.procsync.sync.LockWord"));
        OWNERS.put("RLock", List.of("dev.procsync.sync.RLock"));
        OWNERS.put("Semaphore", List.of("dev.procsync.sync.RawSemaphore"));
        OWNERS.put("Event", List.of("dev.procsync.sync.Event"));
        OWNERS.put("Barrier", List.of("dev.procsync.sync.Barrier"));
        OWNERS.put("Queue", List.of("dev.procsync.channel.Ring", "dev.procsync.channel.QueueCapacity"));
        OWNERS.put("Data", List.of("dev.procsync.data.SharedValue"));
    }

    /** Python constants with another Java name. */
    private static final Map<String, String> RENAMED = Map.of(
            "Barrier.SLOT_SIZE", "dev.procsync.sync.Barrier#SLOT_LENGTH",
            "Data.VALUE_WATCHERS_OFFSET", "dev.procsync.data.SharedValue#WATCHERS_OFFSET",
            "Data.VALUE_CHANGE_SEQ_OFFSET", "dev.procsync.data.SharedValue#CHANGE_SEQ_OFFSET",
            "Data.VALUE_BODY_LENGTH", "dev.procsync.data.SharedValue#SCALAR_BODY",
            "Queue.SIMPLE_DEFAULT_BYTES", "dev.procsync.channel.SimpleQueue#DEFAULT_BYTES",
            "Barrier.COUNT_MASK", "dev.procsync.sync.Barrier#COUNT_MASK",
            "Barrier.PHASE_SHIFT", "dev.procsync.sync.Barrier#PHASE_SHIFT",
            "Barrier.GENERATION_SHIFT", "dev.procsync.sync.Barrier#GEN_SHIFT",
            "Barrier.GENERATION_MASK", "dev.procsync.sync.Barrier#GEN_MASK");

    /** Python-only constants, each with why it has no Java twin. */
    private static final Set<String> PYTHON_ONLY = Set.of(
            "Semaphore.MAX_PERMITS",        // Integer.MAX_VALUE, the Semaphore bound (sync-b.md)
            "Semaphore.PARAM_PERMITS", "Barrier.PARAM_PARTIES", "Queue.PARAM_BYTES", "Queue.PARAM_MESSAGES",
            "Data.PARAM_TYPE", "Data.PARAM_COUNT",   // header param indexes, checked by the open tests
            "Barrier.SLOT_PID", "Barrier.SLOT_START", // offsets within a slot: 0 and 8 (sync-a.md)
            "Barrier.PHASE_MASK",           // two phase bits, implied by GEN_SHIFT - PHASE_SHIFT
            "Data.ARRAY_OFFSET", "Data.MEMORY_OFFSET"); // the header length (data-pipe.md)

    @Test
    void shouldAgreeWithTheJavaLayoutOwners() throws Exception {
        JsonNode layout;
        try (TempRoot root = new TempRoot(); Python.Peer peer = Python.peer(Backend.CTYPES, root.path(), "layout",
                "layout")) {
            layout = new ObjectMapper().readTree(peer.awaitLine("LAYOUT ", Python.JOIN).substring(7));
            peer.joinSuccessfully();
        }
        List<String> problems = new ArrayList<>();
        int matched = 0;
        for (Map.Entry<String, JsonNode> cls : layout.properties()) {
            for (Map.Entry<String, JsonNode> constant : cls.getValue().properties()) {
                String key = cls.getKey() + "." + constant.getKey();
                long python = constant.getValue().asLong();
                Long java = javaValue(cls.getKey(), constant.getKey());
                if (java == null) {
                    if (!PYTHON_ONLY.contains(key)) {
                        problems.add(key + " = " + python + " has no Java counterpart");
                    }
                } else if (java != python) {
                    problems.add(key + ": Python " + python + ", Java " + java);
                } else {
                    matched++;
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        assertTrue(matched > 80, "only " + matched + " constants compared");
    }

    private static Long javaValue(String pyClass, String name) throws Exception {
        if ("Kind".equals(pyClass)) {
            return (long) dev.procsync.segment.SegmentKind.valueOf(name).code();
        }
        if ("Data".equals(pyClass) && name.startsWith("TYPE_") && !"TYPE_SIZES".equals(name)) {
            return (long) dev.procsync.data.ElementType.valueOf(name.substring(5)).code();
        }
        String renamed = RENAMED.get(pyClass + "." + name);
        if (renamed != null) {
            String[] parts = renamed.split("#");
            return field(parts[0], parts[1]);
        }
        for (String owner : OWNERS.getOrDefault(pyClass, List.of())) {
            Long v = field(owner, name);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private static Long field(String className, String name) throws Exception {
        Field f;
        try {
            f = Class.forName(className).getDeclaredField(name);
        } catch (NoSuchFieldException e) {
            return null;
        }
        f.setAccessible(true);
        Object v = f.get(null);
        return v instanceof Number n ? n.longValue() : null;
    }
}

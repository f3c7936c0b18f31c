package dev.procsync.cli;

import dev.procsync.layout.HeaderLayout;
import dev.procsync.process.ProcessId;
import dev.procsync.segment.SegmentKind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the inspector knows about one segment file, read with {@code pread} (never mapped, so a
 * damaged or shrinking file cannot fault the inspector): the header, a problem if it is not a
 * usable segment, and the kind-specific state of the kinds whose layout it knows.
 */
final class SegmentReport {
    /** Bytes read: the header and the first page of the body, where every primitive keeps its words. */
    private static final int READ_LENGTH = 4096;

    final Path path;
    final long size;
    final Map<String, Object> fields = new LinkedHashMap<>();
    final Map<String, Object> state = new LinkedHashMap<>();
    String problem;
    SegmentKind kind;
    ByteBuffer bytes;

    private SegmentReport(Path path, long size) {
        this.path = path;
        this.size = size;
    }

    static SegmentReport read(Path path) {
        long size;
        ByteBuffer buffer = ByteBuffer.allocate(READ_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            size = channel.size();
            while (buffer.hasRemaining() && channel.read(buffer, buffer.position()) > 0) {
                // pread until the page or the file ends
            }
        } catch (IOException e) {
            SegmentReport r = new SegmentReport(path, -1);
            r.problem = e instanceof java.nio.file.AccessDeniedException ? "skipped: permission denied"
                    : "cannot read: " + e;
            return r;
        }
        buffer.flip();
        SegmentReport r = new SegmentReport(path, size);
        r.bytes = buffer;
        r.parse();
        return r;
    }

    private void parse() {
        if (bytes.limit() < HeaderLayout.LENGTH) {
            problem = size + " bytes is shorter than the " + HeaderLayout.LENGTH + "-byte header";
            return;
        }
        if (bytes.getLong(HeaderLayout.MAGIC_OFFSET) != HeaderLayout.MAGIC) {
            problem = "not a procsync segment (wrong magic)";
            return;
        }
        int version = bytes.getInt(HeaderLayout.VERSION_OFFSET);
        int code = bytes.getInt(HeaderLayout.KIND_OFFSET);
        kind = SegmentKind.fromCode(code);
        long total = bytes.getLong(HeaderLayout.TOTAL_LENGTH_OFFSET);
        int creator = bytes.getInt(HeaderLayout.CREATOR_PID_OFFSET);
        long creatorStart = bytes.getLong(HeaderLayout.CREATOR_START_OFFSET);
        fields.put("version", version);
        fields.put("kind", kind == null ? "UNKNOWN(" + code + ")" : kind.name());
        List<Long> params = new ArrayList<>();
        for (int i = 0; i < HeaderLayout.PARAM_COUNT; i++) {
            params.add(bytes.getLong(HeaderLayout.paramOffset(i)));
        }
        fields.put("params", params);
        fields.put("creatorPid", creator);
        fields.put("creatorAlive", creator > 0 && ProcessId.startTimeOf(creator) == creatorStart);
        fields.put("createdAt", Instant.ofEpochMilli(bytes.getLong(HeaderLayout.CREATED_AT_OFFSET)).toString());
        fields.put("ready", bytes.getInt(HeaderLayout.READY_OFFSET) == HeaderLayout.READY);
        if (kind == null) {
            problem = "unknown kind code " + code;
        } else if (!kind.readsLayoutVersion(version)) {
            problem = kind + " layout version " + version + ", this build reads " + kind.layoutVersion();
        } else if (total != size) {
            problem = "header says " + total + " bytes but the file has " + size + " (truncated or damaged)";
        } else if (bytes.getInt(HeaderLayout.READY_OFFSET) != HeaderLayout.READY) {
            problem = "not published as ready";
        } else {
            KindStates.describe(this);
        }
    }

    int intAt(int offset) {
        return offset + 4 <= bytes.limit() ? bytes.getInt(offset) : 0;
    }

    long longAt(int offset) {
        return offset + 8 <= bytes.limit() ? bytes.getLong(offset) : 0;
    }

    long param(int index) {
        return bytes.getLong(HeaderLayout.paramOffset(index));
    }

    /** Liveness of a recorded owner: "alive", "dead", or "dead (pid reused)". */
    static String liveness(int pid, long recordedStart) {
        long actual = ProcessId.startTimeOf(pid);
        if (actual < 0) {
            return "dead";
        }
        return actual == recordedStart ? "alive" : "dead (pid reused)";
    }

    Map<String, Object> toMap(String name) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("path", path.toString());
        m.put("size", size);
        m.putAll(fields);
        if (problem != null) {
            m.put("problem", problem);
        }
        if (!state.isEmpty()) {
            m.put("state", state);
        }
        return m;
    }
}

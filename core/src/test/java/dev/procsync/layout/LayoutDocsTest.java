package dev.procsync.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layout documents and the machine-readable {@code docs/layout/layouts.json} are generated from
 * the descriptors: this test fails when a committed table differs from what the descriptors say,
 * and rewrites them when run with {@code -Dprocsync.layout.write=true}
 * ({@code mvn -pl core -am verify -Dtest=LayoutDocsTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dprocsync.layout.write=true}).
 */
class LayoutDocsTest {
    private static final Path DOCS = Path.of("..", "docs", "layout");
    private static final boolean WRITE = Boolean.getBoolean("procsync.layout.write");
    private static final Pattern BLOCK = Pattern.compile(
            "<!-- generated from (\\S+) \\((.+?)\\); LayoutDocsTest checks it -->\\n(.*?)<!-- end generated -->\\n",
            Pattern.DOTALL);
    private static final List<Class<?>> LAYOUT_CLASSES = List.of(HeaderLayout.class, LockLayout.class,
            RLockLayout.class, SemaphoreLayout.class, EventLayout.class, ConditionLayout.class, BarrierLayout.class,
            ValueLayout.class, ArrayLayout.class, SharedMemoryLayout.class, QueueLayout.class, PipeLayout.class);

    @Test
    void shouldDocumentEveryDescriptorExactlyOnceAsTheDescriptorSaysIt() throws IOException {
        Map<String, Integer> seen = new LinkedHashMap<>();
        List<String> stale = new ArrayList<>();
        try (Stream<Path> docs = Files.list(DOCS)) {
            for (Path doc : (Iterable<Path>) docs.filter(p -> p.toString().endsWith(".md")).sorted()::iterator) {
                String text = Files.readString(doc, StandardCharsets.UTF_8);
                StringBuilder out = new StringBuilder();
                Matcher m = BLOCK.matcher(text);
                int last = 0;
                while (m.find()) {
                    LayoutDescriptor d = byTitle(m.group(2), doc);
                    seen.merge(d.title(), 1, Integer::sum);
                    String block = block(d);
                    if (!m.group().equals(block)) {
                        stale.add(doc.getFileName() + ": " + d.title());
                    }
                    out.append(text, last, m.start()).append(block);
                    last = m.end();
                }
                out.append(text.substring(last));
                if (WRITE && !out.toString().equals(text)) {
                    Files.writeString(doc, out.toString(), StandardCharsets.UTF_8);
                }
            }
        }
        for (LayoutDescriptor d : Layouts.ALL) {
            assertEquals(1, seen.getOrDefault(d.title(), 0), "blocks documenting " + d.title() + " in docs/layout");
        }
        if (!WRITE) {
            assertTrue(stale.isEmpty(), "layout tables differ from the descriptors (regenerate with "
                    + "-Dprocsync.layout.write=true): " + stale);
        }
    }

    @Test
    void shouldPublishEveryLayoutConstantInLayoutsJson() throws IOException, IllegalAccessException {
        Path json = DOCS.resolve("layouts.json");
        String expected = json();
        if (WRITE) {
            Files.writeString(json, expected, StandardCharsets.UTF_8);
        }
        String actual = Files.exists(json) ? Files.readString(json, StandardCharsets.UTF_8) : "";
        if (!expected.equals(actual)) {
            fail("docs/layout/layouts.json differs from the descriptors "
                    + "(regenerate with -Dprocsync.layout.write=true)");
        }
    }

    @Test
    void shouldGiveEveryKindCodeTheVersionOfItsDescriptor() {
        for (LayoutDescriptor d : Layouts.ALL) {
            if (!d.isRelative()) {
                assertTrue(Layouts.reads(d.code(), d.version()), d.title());
            }
        }
        assertEquals(SemaphoreLayout.VERSION, Layouts.versionOf(SemaphoreLayout.KIND), "a new plain semaphore's");
        assertEquals(0, Layouts.versionOf(999));
        assertTrue(!Layouts.reads(LockLayout.KIND, SemaphoreLayout.UNDO_VERSION), "only semaphores have a 2nd version");
    }

    private static LayoutDescriptor byTitle(String title, Path doc) {
        for (LayoutDescriptor d : Layouts.ALL) {
            if (d.title().equals(title)) {
                return d;
            }
        }
        throw new AssertionError(doc + " documents a layout no descriptor has: " + title);
    }

    static String block(LayoutDescriptor d) {
        StringBuilder b = new StringBuilder();
        b.append("<!-- generated from ").append(owner(d)).append(" (").append(d.title())
                .append("); LayoutDocsTest checks it -->\n");
        b.append(d.isRelative() ? "| offset in block | size | field | meaning |\n"
                : "| offset | size | field | meaning |\n");
        b.append("|---|---|---|---|\n");
        for (LayoutDescriptor.Field f : d.fields()) {
            b.append("| ").append(f.offsetText()).append(" | ").append(f.sizeText()).append(" | ")
                    .append(f.name()).append(" | ").append(f.description()).append(" |\n");
        }
        if (!d.constants().isEmpty()) {
            b.append("\n| constant | value | meaning |\n|---|---|---|\n");
            for (LayoutDescriptor.Constant c : d.constants()) {
                b.append("| `").append(c.name()).append("` | ").append(c.valueText()).append(" | ")
                        .append(c.meaning()).append(" |\n");
            }
        }
        if (!d.isRelative()) {
            b.append("\nKind ").append(d.code()).append(", layout version ").append(d.version()).append(".\n");
        }
        return b.append("<!-- end generated -->\n").toString();
    }

    private static String owner(LayoutDescriptor d) {
        for (Class<?> c : LAYOUT_CLASSES) {
            for (Field f : c.getFields()) {
                try {
                    if (f.getType() == LayoutDescriptor.class && f.get(null) == d) {
                        return c.getSimpleName() + "." + f.getName();
                    }
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }
        }
        throw new AssertionError("no layout class holds " + d);
    }

    /** Every public numeric constant of every layout class, then every descriptor, as JSON. */
    static String json() throws IllegalAccessException {
        StringBuilder b = new StringBuilder("{\n  \"constants\": {\n");
        for (int i = 0; i < LAYOUT_CLASSES.size(); i++) {
            Class<?> c = LAYOUT_CLASSES.get(i);
            b.append("    ").append(quote(c.getSimpleName())).append(": {");
            String sep = "";
            for (Field f : c.getFields()) {
                if (Modifier.isStatic(f.getModifiers()) && (f.getType() == int.class || f.getType() == long.class)) {
                    b.append(sep).append("\n      ").append(quote(f.getName())).append(": ").append(f.get(null));
                    sep = ",";
                }
            }
            b.append("\n    }").append(i + 1 < LAYOUT_CLASSES.size() ? ",\n" : "\n");
        }
        b.append("  },\n  \"layouts\": [\n");
        for (int i = 0; i < Layouts.ALL.size(); i++) {
            LayoutDescriptor d = Layouts.ALL.get(i);
            b.append("    {\"title\": ").append(quote(d.title())).append(", \"kind\": ").append(quote(d.kind()))
                    .append(", \"code\": ").append(d.code()).append(", \"version\": ").append(d.version())
                    .append(", \"relative\": ").append(d.isRelative()).append(", \"length\": ").append(d.length())
                    .append(",\n     \"fields\": [");
            String sep = "";
            for (LayoutDescriptor.Field f : d.fields()) {
                b.append(sep).append("\n       {\"name\": ").append(quote(f.name())).append(", \"offset\": ")
                        .append(f.offset()).append(", \"size\": ").append(f.size()).append(", \"stride\": ")
                        .append(f.stride()).append(", \"count\": ").append(f.count()).append("}");
                sep = ",";
            }
            b.append("],\n     \"constants\": {");
            sep = "";
            for (LayoutDescriptor.Constant c : d.constants()) {
                b.append(sep).append(quote(c.name())).append(": ").append(c.value());
                sep = ", ";
            }
            b.append("}}").append(i + 1 < Layouts.ALL.size() ? ",\n" : "\n");
        }
        return b.append("  ]\n}\n").toString();
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}

package dev.procsync.tool;

import dev.procsync.Namespace;
import dev.procsync.NamespaceOptions;
import dev.procsync.Procsync;
import dev.procsync.ProcsyncException;
import dev.procsync.process.ProcessId;
import dev.procsync.segment.SegmentFiles;
import dev.procsync.sync.Lock;
import dev.procsync.sync.RLock;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The {@code procsync} command line, the AeronStat of procsync:
 * <pre>
 * procsync [--root DIR] [--json] list                  namespaces, segments, kinds, sizes, problems
 * procsync [--root DIR] [--json] show NS [NAME]        each primitive's state, owner liveness, attached pids
 * procsync [--root DIR] [--json] unlink NS NAME        removes a name (processes that mapped it keep it)
 * procsync [--root DIR] [--json] [--dry-run] gc [NS]   removes creators' temporary files of dead pids and
 *                                                      recovers locks and rlocks whose holder is dead
 * </pre>
 * It reads segment files with {@code pread} and never maps them, so a damaged file cannot fault it.
 * It never follows a symbolic link; what it may not read (another user's namespace, a link) is
 * listed as skipped, with the reason, and the command carries on. {@code unlink} and {@code gc} go
 * through a {@link Namespace}, so they act only on namespaces that pass the trust rule of
 * {@link NamespaceOptions} for the user running them (and skip the others, saying why): as a user,
 * {@code gc} cleans that user's namespaces.
 * {@code gc} never touches what a live process holds: it recovers a lock only through the lock's
 * own owner-death path (which refuses a live holder) and then releases it with
 * {@link Lock#releaseKeepingOwnerDied()} (or {@link RLock#releaseKeepingOwnerDied()}), so the next
 * holder is still told {@code previousOwnerDied()} and can repair what the dead holder left half-done.
 * Exit status: 0 done, 1 a failure (message on stderr), 2 bad usage.
 */
public final class Inspector {
    private static final Pattern TEMP = Pattern.compile("\\.(.+)\\.(\\d+)\\.[0-9a-f]+" + Pattern.quote(
            SegmentFiles.CREATING_SUFFIX));

    private final PrintStream out;
    private Path root = NamespaceOptions.defaults().root();
    private boolean json;
    private boolean dryRun;

    private Inspector(PrintStream out) {
        this.out = out;
    }

    /**
     * Runs the command line and exits with its status.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the command line.
     *
     * @param args the command line
     * @param out  where results go
     * @param err  where errors and usage go
     * @return the exit status: 0 done, 1 failure, 2 bad usage
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Inspector inspector = new Inspector(out);
        List<String> words = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--json":
                    inspector.json = true;
                    break;
                case "--dry-run":
                    inspector.dryRun = true;
                    break;
                case "--root":
                    if (++i == args.length) {
                        return usage(err, "--root needs a directory");
                    }
                    inspector.root = Path.of(args[i]);
                    break;
                case "-h":
                case "--help":
                    usage(out, null);
                    return 0;
                default:
                    words.add(args[i]);
            }
        }
        if (words.isEmpty()) {
            return usage(err, "no command");
        }
        try {
            String command = words.get(0);
            List<String> rest = words.subList(1, words.size());
            switch (command) {
                case "list":
                    return rest.isEmpty() ? inspector.list() : usage(err, "list takes no arguments");
                case "show":
                    return rest.size() == 1 || rest.size() == 2
                            ? inspector.show(rest.get(0), rest.size() == 2 ? rest.get(1) : null)
                            : usage(err, "show NS [NAME]");
                case "unlink":
                    return rest.size() == 2 ? inspector.unlink(rest.get(0), rest.get(1)) : usage(err, "unlink NS NAME");
                case "gc":
                    return rest.size() <= 1 ? inspector.gc(rest.isEmpty() ? null : rest.get(0)) : usage(err, "gc [NS]");
                default:
                    return usage(err, "unknown command '" + command + "'");
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            err.println("procsync: " + e.getMessage());
            return 1;
        } catch (IOException | RuntimeException e) {
            err.println("procsync: " + e);
            return 1;
        }
    }

    private static int usage(PrintStream to, String problem) {
        if (problem != null) {
            to.println("procsync: " + problem);
        }
        to.println("usage: procsync [--root DIR] [--json] list");
        to.println("       procsync [--root DIR] [--json] show NS [NAME]");
        to.println("       procsync [--root DIR] [--json] unlink NS NAME");
        to.println("       procsync [--root DIR] [--json] [--dry-run] gc [NS]");
        to.println("root defaults to -Dprocsync.root, else $PROCSYNC_ROOT, else " + NamespaceOptions.defaultRoot());
        return problem == null ? 0 : 2;
    }

    // ---- list ----

    private int list() throws IOException {
        List<Object> namespaces = new ArrayList<>();
        for (Path dir : namespaceDirs()) {
            Map<String, Object> ns = new LinkedHashMap<>();
            ns.put("namespace", dir.getFileName().toString());
            ns.put("path", dir.toString());
            List<Object> segments = new ArrayList<>();
            List<Object> temps = new ArrayList<>();
            List<Path> files;
            try {
                files = files(dir);
            } catch (IOException e) {
                ns.put("skipped", unreadable(dir, e));
                namespaces.add(ns);
                continue;
            }
            for (Path file : files) {
                String name = file.getFileName().toString();
                Matcher temp = TEMP.matcher(name);
                if (temp.matches()) {
                    temps.add(tempFile(file, temp));
                } else if (SegmentFiles.NAME.matcher(name).matches()) {
                    segments.add(SegmentReport.read(file).toMap(name));
                }
            }
            ns.put("segments", segments);
            ns.put("creating", temps);
            namespaces.add(ns);
        }
        if (json) {
            out.println(Json.write(Map.of("root", root.toString(), "namespaces", namespaces)));
            return 0;
        }
        out.println("root " + root + (namespaces.isEmpty() ? " (no namespaces)" : ""));
        for (Object o : namespaces) {
            Map<?, ?> ns = (Map<?, ?>) o;
            out.println("namespace " + ns.get("namespace") + "  " + ns.get("path"));
            if (ns.containsKey("skipped")) {
                out.println("  skipped: " + ns.get("skipped"));
                continue;
            }
            out.printf("  %-24s %-18s %10s  %-18s %s%n", "NAME", "KIND", "BYTES", "CREATOR", "STATE");
            for (Object s : (List<?>) ns.get("segments")) {
                Map<?, ?> seg = (Map<?, ?>) s;
                out.printf("  %-24s %-18s %10d  %-18s %s%n", seg.get("name"),
                        seg.containsKey("kind") ? seg.get("kind") : "?", (Long) seg.get("size"),
                        seg.containsKey("creatorPid") ? seg.get("creatorPid") + (Boolean.TRUE.equals(
                                seg.get("creatorAlive")) ? " (alive)" : " (gone)") : "-", summary(seg));
            }
            for (Object t : (List<?>) ns.get("creating")) {
                Map<?, ?> tf = (Map<?, ?>) t;
                out.printf("  %-24s creating by pid %s (%s)%n", tf.get("file"), tf.get("pid"),
                        Boolean.TRUE.equals(tf.get("creatorAlive")) ? "alive" : "dead: gc removes it");
            }
        }
        return 0;
    }

    private static String summary(Map<?, ?> seg) {
        if (seg.containsKey("problem")) {
            return "INVALID: " + seg.get("problem");
        }
        Map<?, ?> state = (Map<?, ?>) seg.get("state");
        if (state == null) {
            return "";
        }
        if (state.containsKey("locked")) {
            return Boolean.TRUE.equals(state.get("locked"))
                    ? "held by " + state.get("ownerPid") + " (" + state.get("owner") + ")" : "free";
        }
        return state.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }

    // ---- show ----

    private int show(String namespace, String name) throws IOException {
        Path dir = namespaceDir(namespace);
        List<Path> targets = new ArrayList<>();
        if (name != null) {
            Path file = dir.resolve(SegmentFiles.validateName("name", name));
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new IllegalArgumentException("no segment '" + name + "' in namespace '" + namespace + "' ("
                        + dir + ")");
            }
            targets.add(file);
        } else {
            for (Path file : files(dir)) {
                if (SegmentFiles.NAME.matcher(file.getFileName().toString()).matches()) {
                    targets.add(file);
                }
            }
        }
        Map<String, List<Integer>> attached = attachedProcesses();
        List<Object> shown = new ArrayList<>();
        for (Path file : targets) {
            Map<String, Object> m = SegmentReport.read(file).toMap(file.getFileName().toString());
            m.put("attachedPids", attached.getOrDefault(file.toString(), List.of()));
            shown.add(m);
        }
        if (json) {
            out.println(Json.write(Map.of("namespace", namespace, "path", dir.toString(), "segments", shown)));
            return 0;
        }
        out.println("namespace " + namespace + "  " + dir);
        for (Object o : shown) {
            Map<?, ?> m = (Map<?, ?>) o;
            out.println(m.get("name") + "  " + (m.containsKey("kind") ? m.get("kind") : "?") + "  " + m.get("size")
                    + " bytes" + (m.containsKey("problem") ? "  INVALID: " + m.get("problem") : ""));
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String key = String.valueOf(e.getKey());
                if (!List.of("name", "kind", "size", "problem", "state").contains(key)) {
                    out.println("    " + key + ": " + e.getValue());
                }
            }
            Map<?, ?> state = (Map<?, ?>) m.get("state");
            if (state != null) {
                out.println("    state: " + summary(m));
                for (Map.Entry<?, ?> e : state.entrySet()) {
                    out.println("      " + e.getKey() + ": " + e.getValue());
                }
            }
        }
        return 0;
    }

    /**
     * Which pids map each file under the root, from /proc/[pid]/maps. Matched by inode within the
     * namespace directory, not by name: a creator's mapping shows its temporary name, "(deleted)".
     */
    private Map<String, List<Integer>> attachedProcesses() {
        Map<String, String> byInode = new TreeMap<>(); // "dir ino" -> file path
        try {
            for (Path dir : namespaceDirs()) {
                List<Path> files;
                try {
                    files = files(dir);
                } catch (IOException e) {
                    continue; // not ours to read: list says so
                }
                for (Path file : files) {
                    try {
                        byInode.put(dir + "/ " + Files.getAttribute(file, "unix:ino", LinkOption.NOFOLLOW_LINKS),
                                file.toString());
                    } catch (IOException | RuntimeException e) {
                        // vanished meanwhile
                    }
                }
            }
        } catch (IOException e) {
            return Map.of();
        }
        Map<String, List<Integer>> attached = new TreeMap<>();
        String prefix = root.toAbsolutePath().normalize().toString() + "/";
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : (Iterable<Path>) procs::iterator) {
                String pid = proc.getFileName().toString();
                if (!pid.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                List<String> lines;
                try {
                    lines = Files.readAllLines(proc.resolve("maps"), StandardCharsets.UTF_8);
                } catch (IOException | RuntimeException e) {
                    continue; // gone, or not ours to read
                }
                lines.stream().filter(l -> l.contains(prefix)).map(l -> {
                    String[] f = l.trim().split("\\s+", 6); // address perms offset dev inode path
                    String path = f.length == 6 ? f[5] : "";
                    int slash = path.lastIndexOf('/');
                    return slash < 0 ? null : byInode.get(path.substring(0, slash) + "/ " + f[4]);
                }).filter(java.util.Objects::nonNull).distinct().forEach(file -> attached
                        .computeIfAbsent(file, k -> new ArrayList<>()).add(Integer.parseInt(pid)));
            }
        } catch (IOException e) {
            return attached;
        }
        return attached;
    }

    // ---- unlink ----

    private int unlink(String namespace, String name) throws IOException {
        Path dir = namespaceDir(namespace);
        Path file = dir.resolve(SegmentFiles.validateName("name", name));
        List<Integer> mappedBy = attachedProcesses().getOrDefault(file.toString(), List.of());
        boolean existed;
        try (Namespace ns = Procsync.open(namespace, options(dir))) {
            existed = ns.unlink(name); // relative to the checked directory; a link is removed, not followed
        }
        if (json) {
            out.println(Json.write(Map.of("unlinked", existed, "path", file.toString(), "stillMappedBy", mappedBy)));
        } else if (existed) {
            out.println("unlinked " + file + (mappedBy.isEmpty() ? ""
                    : " (still mapped by pids " + mappedBy + ": they keep their copy; a new open creates a new one)"));
        } else {
            out.println("no segment '" + name + "' in " + dir);
        }
        return existed ? 0 : 1;
    }

    // ---- gc ----

    private int gc(String only) throws IOException {
        List<Object> actions = new ArrayList<>();
        List<Path> dirs = only == null ? namespaceDirs() : List.of(namespaceDir(only));
        for (Path dir : dirs) {
            String namespace = dir.getFileName().toString();
            // Only through a namespace that passes the trust rule: another user's is skipped, never cleaned.
            try (Namespace ns = Procsync.open(namespace, options(dir))) {
                gc(ns, dir, actions);
            } catch (IOException | ProcsyncException e) {
                actions.add(action(namespace, "*", "skipped", e instanceof IOException
                        ? unreadable(dir, (IOException) e) : e.getMessage()));
            }
        }
        if (json) {
            out.println(Json.write(Map.of("root", root.toString(), "dryRun", dryRun, "actions", actions)));
        } else if (actions.isEmpty()) {
            out.println("gc: nothing to do under " + root);
        } else {
            for (Object a : actions) {
                Map<?, ?> m = (Map<?, ?>) a;
                out.println("gc: " + m.get("namespace") + "/" + m.get("name") + ": " + m.get("action") + " ("
                        + m.get("why") + ")");
            }
        }
        return 0;
    }

    private void gc(Namespace ns, Path dir, List<Object> actions) throws IOException {
        String namespace = ns.name();
        for (Path file : files(dir)) {
            String fileName = file.getFileName().toString();
            Matcher temp = TEMP.matcher(fileName);
            if (temp.matches()) {
                Map<String, Object> t = tempFile(file, temp);
                if (!Boolean.TRUE.equals(t.get("creatorAlive"))) {
                    boolean removed = !dryRun && ns.unlinkTemporary(fileName);
                    actions.add(action(namespace, fileName, dryRun ? "would remove" : removed ? "removed"
                            : "already gone", "temporary file of dead creator pid " + t.get("pid")));
                }
            } else if (SegmentFiles.NAME.matcher(fileName).matches()) {
                SegmentReport report = SegmentReport.read(file);
                if (KindStates.isLockWithDeadOwner(report)) {
                    try {
                        actions.add(recoverLock(ns, namespace, fileName, report));
                    } catch (ProcsyncException e) {
                        actions.add(action(namespace, fileName, "skipped", e.getMessage()));
                    }
                }
            }
        }
    }

    private Map<String, Object> recoverLock(Namespace ns, String namespace, String name, SegmentReport report) {
        boolean reentrant = "RLOCK".equals(report.kind.name());
        String why = (reentrant ? "rlock" : "lock") + " held by dead pid " + report.state.get("ownerPid");
        if (dryRun) {
            return action(namespace, name, "would recover", why);
        }
        // Through the lock's own owner-death path: it re-checks liveness and never takes a live holder's lock.
        // gc repairs nothing, so it releases keeping the owner-died signal for the next holder to act on.
        try {
            boolean taken;
            boolean died;
            if (reentrant) {
                try (RLock lock = ns.rlock(name)) {
                    taken = lock.tryAcquire(Duration.ofSeconds(2));
                    died = taken && lock.previousOwnerDied();
                    if (taken) {
                        lock.releaseKeepingOwnerDied();
                    }
                }
            } else {
                try (Lock lock = ns.lock(name)) {
                    taken = lock.tryAcquire(Duration.ofSeconds(2));
                    died = taken && lock.previousOwnerDied();
                    if (taken) {
                        lock.releaseKeepingOwnerDied();
                    }
                }
            }
            if (!taken) {
                return action(namespace, name, "left alone", why + ", but it is held by a live process now");
            }
            return action(namespace, name, died ? "recovered and released" : "released meanwhile", why
                    + (died ? "; the next holder is told previousOwnerDied()" : ""));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return action(namespace, name, "interrupted", why);
        }
    }

    private static Map<String, Object> action(String namespace, String name, String action, String why) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("namespace", namespace);
        m.put("name", name);
        m.put("action", action);
        m.put("why", why);
        return m;
    }

    // ---- helpers ----

    private static Map<String, Object> tempFile(Path file, Matcher temp) {
        int pid = Integer.parseInt(temp.group(2));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", file.getFileName().toString());
        m.put("for", temp.group(1));
        m.put("pid", pid);
        m.put("creatorAlive", ProcessId.startTimeOf(pid) >= 0);
        return m;
    }

    /** Options for a namespace the inspector acts on: the user's defaults, with the namespace's root. */
    private static NamespaceOptions options(Path namespaceDir) {
        return NamespaceOptions.defaults().withRoot(namespaceDir.getParent());
    }

    /** Why a directory could not be listed, without stopping the command. */
    private static String unreadable(Path dir, IOException e) {
        String owner = "";
        try {
            owner = ", owned by uid " + Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | RuntimeException ignored) {
            // the reason alone then
        }
        return "cannot read " + dir + " (" + (e instanceof AccessDeniedException ? "permission denied" : e.toString())
                + owner + ")";
    }

    /** Namespace directories under the root; links are never followed (and so never listed). */
    private List<Path> namespaceDirs() throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(d -> Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS))
                    .filter(d -> SegmentFiles.NAME.matcher(d.getFileName().toString()).matches()).sorted()
                    .collect(Collectors.toList());
        }
    }

    private Path namespaceDir(String namespace) {
        Path dir = root.resolve(SegmentFiles.validateName("namespace", namespace));
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException("no namespace '" + namespace + "' under " + root);
        }
        return dir;
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).sorted()
                    .collect(Collectors.toList());
        } catch (NoSuchFileException e) {
            return List.of();
        }
    }
}

package dev.procsync.cli;

import dev.procsync.Namespace;
import dev.procsync.NamespaceOptions;
import dev.procsync.Procsync;
import dev.procsync.ProcsyncException;
import dev.procsync.process.ProcessId;
import dev.procsync.segment.SegmentFiles;
import dev.procsync.layout.SemaphoreLayout;
import dev.procsync.sync.BoundedSemaphore;
import dev.procsync.sync.Lock;
import dev.procsync.sync.RLock;
import dev.procsync.sync.Semaphore;
import dev.procsync.sync.SemaphoreOptions;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
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
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The {@code procsync} command line, the AeronStat of procsync:
 * <pre>
 * procsync [--root DIR] [--json] list                   namespaces, segments, kinds, sizes, problems
 * procsync [--root DIR] [--json] show NS [NAME]         each primitive's state (values and arrays decoded),
 *                                                       owner liveness, attached pids
 * procsync [--root DIR] [--json] unlink NS NAME         removes a name (processes that mapped it keep it)
 * procsync [--root DIR] [--json] [--dry-run] rm [--force] NS
 *                                                       removes a namespace, unless a live process holds
 *                                                       something in it (maps a file, owns a lock, is creating)
 * procsync [--root DIR] [--json] [--dry-run] gc [NS]    removes creators' temporary files of dead pids,
 *                                                       recovers locks and rlocks whose holder is dead,
 *                                                       gives back undo-on-death semaphore permits of dead
 *                                                       holders, and
 *                                                       removes namespaces that only dead processes used
 * </pre>
 * Run as {@code java -jar procsync-cli.jar ...} (the published jar carries its dependencies) or
 * {@code bin/procsync}. Arguments are parsed by picocli, JSON is written by Jackson.
 * It reads segment files with {@code pread} and never maps them, so a damaged file cannot fault it.
 * It never follows a symbolic link; what it may not read (another user's namespace, a link) is
 * listed as skipped, with the reason, and the command carries on. {@code unlink}, {@code rm} and
 * {@code gc} go through a {@link Namespace}, so they act only on namespaces that pass the trust
 * rule of {@link NamespaceOptions} for the user running them (and skip the others, saying why): as
 * a user, {@code gc} cleans that user's namespaces.
 * {@code gc} never touches what a live process holds: it recovers a lock only through the lock's
 * own owner-death path (which refuses a live holder) and then releases it with
 * {@link Lock#releaseKeepingOwnerDied()} (or {@link RLock#releaseKeepingOwnerDied()}), so the next
 * holder is still told {@code previousOwnerDied()} and can repair what the dead holder left half-done.
 * Exit status: 0 done, 1 a failure (message on stderr), 2 bad usage.
 */
@Command(name = "procsync", mixinStandardHelpOptions = true, versionProvider = Inspector.Version.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = "Inspects and cleans up procsync namespaces.",
        footer = "%nThe root defaults to -Dprocsync.root, else $PROCSYNC_ROOT, else /dev/shm/procsync-<uid>.")
public final class Inspector {
    private static final Pattern TEMP = Pattern.compile("\\.(.+)\\.(\\d+)\\.[0-9a-f]+" + Pattern.quote(
            SegmentFiles.CREATING_SUFFIX));
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintStream out;

    @Option(names = "--root", paramLabel = "DIR", description = "the root directory of the namespaces")
    private Path root = NamespaceOptions.defaults().root();

    @Option(names = "--json", description = "print JSON instead of text")
    private boolean json;

    @Option(names = "--dry-run", description = "gc and rm: say what would be done, change nothing")
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
        CommandLine line = new CommandLine(new Inspector(out));
        line.setOut(new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true));
        line.setErr(new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true));
        line.setExecutionExceptionHandler((e, cl, parsed) -> {
            cl.getErr().println("procsync: " + (e instanceof IllegalArgumentException
                    || e instanceof IllegalStateException ? e.getMessage() : e.toString()));
            return 1;
        });
        if (args.length == 0) {
            line.getErr().println("procsync: no command");
            line.usage(line.getErr());
            return 2;
        }
        return line.execute(args);
    }

    /** The version of the procsync-cli jar, from its manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Inspector.class.getPackage().getImplementationVersion();
            return new String[] {"procsync " + (v == null ? "(development build)" : v)};
        }
    }

    private void printJson(Object value) {
        try {
            out.println(JSON.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    // ---- list ----

    @Command(name = "list", description = "Namespaces, their segments, kinds, sizes and problems.")
    int list() throws IOException {
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
                } else if (SegmentFiles.SEGMENT_NAME.matcher(name).matches()) {
                    segments.add(SegmentReport.read(file).toMap(name));
                }
            }
            ns.put("segments", segments);
            ns.put("creating", temps);
            namespaces.add(ns);
        }
        if (json) {
            printJson(Map.of("root", root.toString(), "namespaces", namespaces));
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

    @Command(name = "show", description = "Each primitive's state (values and arrays decoded), owners, attached pids.")
    int show(@Parameters(index = "0", paramLabel = "NS", description = "the namespace") String namespace,
            @Parameters(index = "1", arity = "0..1", paramLabel = "NAME", description = "one name only")
            @Nullable String name) throws IOException {
        Path dir = namespaceDir(namespace);
        List<Path> targets = new ArrayList<>();
        if (name != null) {
            Path file = dir.resolve(SegmentFiles.validateSegmentName(name));
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new IllegalArgumentException("no segment '" + name + "' in namespace '" + namespace + "' ("
                        + dir + ")");
            }
            targets.add(file);
        } else {
            for (Path file : files(dir)) {
                if (SegmentFiles.SEGMENT_NAME.matcher(file.getFileName().toString()).matches()) {
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
            printJson(Map.of("namespace", namespace, "path", dir.toString(), "segments", shown));
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

    @Command(name = "unlink", description = "Removes a name; processes that mapped it keep their mapping.")
    int unlink(@Parameters(index = "0", paramLabel = "NS") String namespace,
            @Parameters(index = "1", paramLabel = "NAME") String name) throws IOException {
        Path dir = namespaceDir(namespace);
        Path file = dir.resolve(SegmentFiles.validateSegmentName(name));
        List<Integer> mappedBy = attachedProcesses().getOrDefault(file.toString(), List.of());
        boolean existed;
        try (Namespace ns = Procsync.open(namespace, options(dir))) {
            existed = ns.unlink(name); // relative to the checked directory; a link is removed, not followed
        }
        if (json) {
            printJson(Map.of("unlinked", existed, "path", file.toString(), "stillMappedBy", mappedBy));
        } else if (existed) {
            out.println("unlinked " + file + (mappedBy.isEmpty() ? ""
                    : " (still mapped by pids " + mappedBy + ": they keep their copy; a new open creates a new one)"));
        } else {
            out.println("no segment '" + name + "' in " + dir);
        }
        return existed ? 0 : 1;
    }

    // ---- rm ----

    @Command(name = "rm", description = "Removes a namespace; refuses while a live process holds something in it.")
    int rm(@Parameters(paramLabel = "NS", description = "the namespace") String namespace,
            @Option(names = "--force", description = "remove it even so (live processes keep their mappings)")
            boolean force) throws IOException {
        Path dir = namespaceDir(namespace);
        List<String> holders = holders(dir, attachedProcesses());
        if (!holders.isEmpty() && !force) {
            throw new IllegalStateException("namespace '" + namespace + "' is in use, not removed (--force removes it"
                    + " anyway): " + String.join("; ", holders));
        }
        if (!dryRun) {
            try (Namespace ns = Procsync.open(namespace, options(dir))) {
                ns.destroy(); // through the trust rule; links are removed, not followed
            }
        }
        String what = dryRun ? "would remove" : "removed";
        if (json) {
            printJson(Map.of("namespace", namespace, "path", dir.toString(), "action", what, "heldBy", holders));
        } else {
            out.println(what + " namespace " + namespace + " (" + dir + ")"
                    + (holders.isEmpty() ? "" : "; it was in use: " + String.join("; ", holders)));
        }
        return 0;
    }

    /**
     * What live processes hold in a namespace: files they map, locks they own, files they are
     * creating. This process never maps a segment here before asking, so it is never listed.
     */
    private static List<String> holders(Path dir, Map<String, List<Integer>> attached) throws IOException {
        List<String> holders = new ArrayList<>();
        for (Path file : files(dir)) {
            String name = file.getFileName().toString();
            Matcher temp = TEMP.matcher(name);
            if (temp.matches()) {
                if (Boolean.TRUE.equals(tempFile(file, temp).get("creatorAlive"))) {
                    holders.add("pid " + temp.group(2) + " is creating '" + temp.group(1) + "'");
                }
                continue;
            }
            for (int pid : attached.getOrDefault(file.toString(), List.of())) {
                holders.add("pid " + pid + " maps '" + name + "'");
            }
            if (SegmentFiles.NAME.matcher(name).matches()) {
                SegmentReport report = SegmentReport.read(file);
                if ("alive".equals(report.state.get("owner"))) {
                    holders.add("pid " + report.state.get("ownerPid") + " holds '" + name + "'");
                }
            }
        }
        return holders;
    }

    /**
     * Why a namespace is still of use to a live process, empty if none: {@link #holders}, plus a
     * live creator of any segment and any file the inspector cannot judge (unreadable, invalid).
     * An empty directory is left alone too: a live process may have just opened it.
     */
    private static List<String> liveUsers(Path dir, Map<String, List<Integer>> attached) throws IOException {
        List<String> users = holders(dir, attached);
        List<Path> files = files(dir);
        if (files.isEmpty()) {
            users.add("empty");
        }
        for (Path file : files) {
            String name = file.getFileName().toString();
            if (TEMP.matcher(name).matches()) {
                continue;
            }
            SegmentReport report = SegmentReport.read(file);
            if (report.problem != null) {
                users.add("'" + name + "': " + report.problem);
            } else if (Boolean.TRUE.equals(report.fields.get("creatorAlive"))) {
                users.add("creator of '" + name + "' is alive");
            }
        }
        return users;
    }

    // ---- gc ----

    @Command(name = "gc", description = "Removes what dead processes left behind; never what a live one holds.")
    int gc(@Parameters(arity = "0..1", paramLabel = "NS", description = "one namespace only") @Nullable String only)
            throws IOException {
        List<Object> actions = new ArrayList<>();
        List<Path> dirs = only == null ? namespaceDirs() : List.of(namespaceDir(only));
        Map<String, List<Integer>> attached = attachedProcesses(); // before gc maps any lock itself
        for (Path dir : dirs) {
            String namespace = dir.getFileName().toString();
            // Only through a namespace that passes the trust rule: another user's is skipped, never cleaned.
            try (Namespace ns = Procsync.open(namespace, options(dir))) {
                gc(ns, dir, actions);
                List<String> users = liveUsers(dir, attached);
                if (users.isEmpty()) {
                    boolean removed = !dryRun;
                    if (removed) {
                        ns.destroy();
                    }
                    actions.add(action(namespace, "*", removed ? "removed namespace" : "would remove namespace",
                            "every process that created, held or mapped something in it is dead"));
                }
            } catch (IOException | ProcsyncException e) {
                actions.add(action(namespace, "*", "skipped", e instanceof IOException
                        ? unreadable(dir, (IOException) e) : e.getMessage()));
            }
        }
        if (json) {
            printJson(Map.of("root", root.toString(), "dryRun", dryRun, "actions", actions));
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
            } else if (SegmentFiles.SEGMENT_NAME.matcher(fileName).matches()) {
                SegmentReport report = SegmentReport.read(file);
                if (KindStates.isLockWithDeadOwner(report)) {
                    try {
                        actions.add(recoverLock(ns, namespace, fileName, report));
                    } catch (ProcsyncException e) {
                        actions.add(action(namespace, fileName, "skipped", e.getMessage()));
                    }
                } else if (KindStates.isUndoSemaphoreWithDeadHolder(report)) {
                    try {
                        actions.add(recoverSemaphore(ns, namespace, fileName, report));
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

    /** An undo-on-death semaphore with dead holders: their permits come back through the semaphore's own path. */
    private Map<String, Object> recoverSemaphore(Namespace ns, String namespace, String name, SegmentReport report) {
        String why = "undo-on-death semaphore: dead holders hold " + report.state.get("permitsOfDeadHolders")
                + " permits";
        if (dryRun) {
            return action(namespace, name, "would give back", why);
        }
        int permits = (int) report.param(0);
        SemaphoreOptions options = SemaphoreOptions.undoOnDeath((int) report.param(SemaphoreLayout.PARAM_UNDO_SLOTS));
        // It re-checks every holder under the ledger's book: a live holder is never robbed.
        int returned;
        if ("BOUNDED_SEMAPHORE".equals(report.kind.name())) {
            try (BoundedSemaphore sem = ns.boundedSemaphore(name, permits, options)) {
                returned = sem.recoverDeadHolders();
            }
        } else {
            try (Semaphore sem = ns.semaphore(name, permits, options)) {
                returned = sem.recoverDeadHolders();
            }
        }
        return action(namespace, name, "gave back " + returned + " permits", why
                + "; the acquirers that take them are told previousOwnerDied()");
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

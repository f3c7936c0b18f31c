package dev.procsync.process;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The first class a {@link ChildProcess} runs (internal: not for direct use). It loads the
 * requested main class and finds its {@code main}, says on stderr that the child has started
 * (one marker line, which the parent reads and does not show), and calls it. If the class cannot be
 * loaded the child says why on stderr and exits with 1 before the marker, so the parent's
 * {@code start()} fails at once with that message instead of waiting.
 */
public final class ChildMain {
    /** The line a started child prints on stderr before its main class runs. */
    static final String STARTED = "\u0001procsync-child-started";

    private ChildMain() {
    }

    /**
     * Runs {@code args[0]}'s {@code main} with the remaining arguments.
     *
     * @param args the main class name, then its arguments
     * @throws Throwable whatever that {@code main} throws
     */
    public static void main(String[] args) throws Throwable {
        if (args.length == 0) {
            System.err.println("procsync ChildMain: no main class given");
            System.exit(2);
        }
        MethodHandle main;
        try {
            Class<?> type = Class.forName(args[0], false, ClassLoader.getSystemClassLoader());
            main = MethodHandles.publicLookup().findStatic(type, "main", MethodType.methodType(void.class,
                    String[].class));
        } catch (ReflectiveOperationException | LinkageError e) {
            System.err.println("Error: Could not find or load main class " + args[0] + " (class path: "
                    + System.getProperty("java.class.path") + ")");
            System.err.println("Caused by: " + e);
            System.exit(1);
            return;
        }
        String[] rest = new String[args.length - 1];
        System.arraycopy(args, 1, rest, 0, rest.length);
        System.err.println(STARTED);
        System.err.flush();
        main.invokeExact(rest);
    }
}

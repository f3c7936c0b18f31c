package dev.procsync.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class that changes the owner or mode (sticky bit included) of {@code /dev/shm}.
 * Registered for every core test class through {@code META-INF/services} and
 * {@code junit.jupiter.extensions.autodetection.enabled} (core's surefire configuration). It only
 * reads: a test must never change anything outside its own temporary root, and {@code /dev/shm}
 * must stay {@code 1777 root}.
 */
public final class DevShmGuard implements BeforeAllCallback, AfterAllCallback {
    private static final Path DEV_SHM = Path.of("/dev/shm");
    private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(DevShmGuard.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(STORE).put("before", describe());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        String before = context.getStore(STORE).get("before", String.class);
        String after = describe();
        if (before != null && !before.equals(after)) {
            throw new AssertionError(context.getDisplayName() + " changed /dev/shm from " + before + " to " + after
                    + ": tests must change nothing outside their own temporary root"
                    + " (restore with chmod 1777 /dev/shm)");
        }
    }

    /** Mode in octal, with the sticky bit, and owner uid of /dev/shm; "absent" where there is none. */
    static String describe() {
        if (!Files.isDirectory(DEV_SHM, LinkOption.NOFOLLOW_LINKS)) {
            return "absent";
        }
        try {
            Map<String, Object> a = Files.readAttributes(DEV_SHM, "unix:mode,uid", LinkOption.NOFOLLOW_LINKS);
            return "mode 0" + Integer.toOctalString((Integer) a.get("mode") & 07777) + " uid " + a.get("uid");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.procsync.reactive.testing;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import reactor.blockhound.BlockHound;

/**
 * Installs BlockHound (with every integration on the class path, procsync-core's among them)
 * once, before the first test class of the reactive suite. Registered for every test through
 * JUnit's extension auto-detection (src/test/resources/junit-platform.properties).
 */
public final class BlockHoundExtension implements BeforeAllCallback {
    private static volatile boolean installed;

    @Override
    public void beforeAll(ExtensionContext context) {
        install();
    }

    /** Installs BlockHound once per JVM. */
    public static synchronized void install() {
        if (!installed) {
            BlockHound.install();
            installed = true;
        }
    }
}

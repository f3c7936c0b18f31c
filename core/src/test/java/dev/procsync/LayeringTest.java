package dev.procsync;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The façade depends on the primitives, never the reverse: {@code sync}, {@code data} and
 * {@code channel} reach their namespace through {@link dev.procsync.segment.SegmentDirectory}, so
 * a primitive can be opened without the class users read, and a new primitive needs no edit of
 * anything but its own package and the factory method.
 */
class LayeringTest {
    private static final JavaClasses CORE = importCore();

    /** Core's own main classes (the whole class path is slow to scan and proves nothing more). */
    private static JavaClasses importCore() {
        try {
            Path classes = Path.of(Namespace.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return new ClassFileImporter()
                    .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .importPath(classes);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void primitivesNeverNameTheNamespaceFacade() {
        noClasses().that().resideInAnyPackage("dev.procsync.sync..", "dev.procsync.data..", "dev.procsync.channel..")
                .should().dependOnClassesThat().belongToAnyOf(Namespace.class)
                .because("the primitives receive a SegmentDirectory; Namespace is the façade over them")
                .check(CORE);
    }

    @Test
    void theRuleSeesThePrimitives() {
        long primitives = CORE.stream()
                .filter(c -> c.getPackageName().startsWith("dev.procsync.sync")
                        || c.getPackageName().startsWith("dev.procsync.data")
                        || c.getPackageName().startsWith("dev.procsync.channel"))
                .count();
        if (primitives < 30) {
            throw new AssertionError("expected core's sync, data and channel classes, imported " + primitives);
        }
    }
}

package dev.procsync.reactive;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The neutral API names no backend: an application on the Redis backend must not find JNA or a
 * shared-memory class on its class path because of this artifact.
 */
class LayeringTest {
    private static final JavaClasses API = importApi();

    /** The artifact's own classes only (scanning the whole class path is slow and proves nothing more). */
    private static JavaClasses importApi() {
        try {
            Path classes = Path.of(Permit.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return new ClassFileImporter()
                    .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .importPath(classes);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void apiDependsOnlyOnReactorJspecifyCodecAndTheJdk() {
        classes().that().resideInAPackage("dev.procsync.reactive")
                .should().onlyDependOnClassesThat().resideInAnyPackage(
                        "dev.procsync.reactive", "dev.procsync.codec..",
                        "java..", "reactor..", "org.reactivestreams..", "org.jspecify..",
                        "kotlin..", "kotlinx..", "org.jetbrains.annotations..")
                .because("procsync-reactive-api is what every backend and application compiles against")
                .check(API);
    }

    @Test
    void apiIsNotEmpty() {
        if (API.size() < 15) {
            throw new AssertionError("expected the API's classes, imported " + API.size());
        }
    }

    @Test
    void apiHasNoSubpackages() {
        classes().that().resideInAPackage("dev.procsync.reactive..")
                .should().resideInAPackage("dev.procsync.reactive")
                .because("shm, poller and other backends live in their own artifacts")
                .check(API);
    }

    @Test
    void neitherCoreNorJnaIsOnTheApiClassPath() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("com.sun.jna.Native"));
        assertThrows(ClassNotFoundException.class, () -> Class.forName("dev.procsync.Namespace"));
        assertThrows(ClassNotFoundException.class,
                () -> Class.forName("dev.procsync.reactive.shm.ShmReactiveProcsync"));
    }
}

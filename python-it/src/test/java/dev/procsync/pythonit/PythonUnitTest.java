package dev.procsync.pythonit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.procsync.pythonit.Python.Backend;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The Python package's own unittest suite (python/tests), run by the build on both backends. */
class PythonUnitTest {
    @ParameterizedTest
    @EnumSource(Backend.class)
    void shouldPassThePythonUnitTests(Backend backend) {
        Python.assumeBackend(backend);
        Path pkg = Python.packageDir();
        Map<String, String> env = new HashMap<>(Python.env(backend));
        env.put("PYTHONPATH", pkg.toString());
        env.put("PROCSYNC_LAYOUT_JSON", Python.repository().resolve("docs/layout/layouts.json").toString());
        Python.Run run = Python.run(List.of(Python.interpreter(), "-m", "unittest", "discover", "-s", "tests", "-t",
                ".", "-v"), pkg, env, Duration.ofMinutes(5));
        assertEquals(0, run.code(), () -> backend + ": python unit tests failed:\n" + run.output());
    }
}

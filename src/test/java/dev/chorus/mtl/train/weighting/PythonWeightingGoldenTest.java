package dev.chorus.mtl.train.weighting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chorus.dispatch.Python3;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Python weightings ({@code chorus.torch}) give the Java weightings' results on the same inputs: this
 * writes {@link GoldenCases}' inputs and the Java outputs to {@code target/weighting-golden/golden.json}
 * and runs {@code clients/python/tests/test_weighting_golden.py} on it, which holds Python to 1e-6 (and,
 * where a LibMTL checkout is named by {@code LIBMTL_SOURCE}, compares with LibMTL on the same inputs).
 *
 * <p>The interpreter is {@code CHORUS_PYTHON}, else the first of {@code python3} and
 * {@code /usr/bin/python3} that imports torch and pytest. Without one the test is skipped, and under
 * {@code CI=true} it fails.
 */
class PythonWeightingGoldenTest {

    private static final Path GOLDEN = Path.of("target/weighting-golden/golden.json");
    private static final Path PYTEST = Path.of("clients/python/tests/test_weighting_golden.py");

    @Test
    void pythonGivesJavasWeightsOnTheSameInputs() throws Exception {
        Files.createDirectories(GOLDEN.getParent());
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(GOLDEN.toFile(), GoldenCases.document());
        String python = Python3.require("the golden weighting tests", "torch", "pytest");

        Path log = Files.createTempFile("weighting-golden", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(python, "-m", "pytest", PYTEST.toString(), "-q", "-rs",
                    "-p", "no:cacheprovider").redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("CHORUS_WEIGHTING_GOLDEN", GOLDEN.toAbsolutePath().toString());
            builder.environment().put("PYTHONPATH", Path.of("clients/python/src").toAbsolutePath().toString());
            builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
            Process pytest = builder.start();
            if (!pytest.waitFor(5, TimeUnit.MINUTES)) {
                pytest.destroyForcibly();
                fail("pytest did not finish in 5 minutes; its output:\n" + Files.readString(log));
            }
            String output = Files.readString(log);
            System.out.println(output);
            assertThat(pytest.exitValue()).as(output).isZero();
            assertThat(output).as("the golden tests ran").contains("passed");
        } finally {
            Files.deleteIfExists(log);
        }
    }
}

package dev.chorus.dispatch;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds a Python 3 for the tests that run Python against the test application: the test is
 * skipped when it (or a module it needs) is missing, and fails under {@code CI=true}, where
 * {@code .ci/run} installs them.
 */
public final class Python3 {

    private Python3() {
    }

    /** What a Python process printed (stdout and stderr together) and its exit status. */
    public record Run(int exit, String output) {
    }

    /**
     * Starts {@code process} and calls {@code tick} about every 300 ms until it ends (a test application's
     * coordinator is ticked by hand); fails the test with its output when it runs past {@code limit}.
     */
    public static Run run(ProcessBuilder process, Duration limit, Runnable tick) throws IOException, InterruptedException {
        Path log = Files.createTempFile("python", ".log");
        try {
            Process running = process.redirectErrorStream(true).redirectOutput(log.toFile()).start();
            long deadline = System.nanoTime() + limit.toNanos();
            while (running.isAlive() && System.nanoTime() < deadline) {
                tick.run();
                running.waitFor(300, TimeUnit.MILLISECONDS); // the Python side trains in real time
            }
            if (running.isAlive()) {
                running.destroyForcibly();
                fail(String.join(" ", process.command()) + " did not finish in " + limit + "; its output:\n"
                        + Files.readString(log));
            }
            return new Run(running.exitValue(), Files.readString(log));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /**
     * The first of {@code CHORUS_PYTHON}, {@code python3} and {@code /usr/bin/python3} (Debian's, where
     * apt installs torch) that runs and imports every module of {@code modules}.
     */
    public static String require(String why, String... modules) throws InterruptedException {
        String imports = "import sys" + Arrays.stream(modules).map(m -> "; import " + m).collect(Collectors.joining());
        String missing = "python3" + (modules.length == 0 ? "" : " with " + String.join(", ", modules));
        List<String> candidates = new ArrayList<>();
        String configured = System.getenv("CHORUS_PYTHON");
        if (configured != null && !configured.isBlank()) {
            candidates.add(configured);
        }
        candidates.addAll(List.of("python3", "/usr/bin/python3"));
        for (String candidate : candidates) {
            try {
                Process p = new ProcessBuilder(candidate, "-c", imports).redirectErrorStream(true).start();
                if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return candidate;
                }
                p.destroyForcibly();
            } catch (IOException e) {
                // not there: try the next
            }
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(missing + " is not available (tried " + candidates + "); " + why
                    + " cannot be tested (.ci/run installs it with apt-get)");
        }
        Assumptions.abort(missing + " is not available (tried " + candidates + "); skipping the test of " + why);
        return null;
    }
}

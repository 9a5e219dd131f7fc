package dev.chorus.dispatch;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds {@code python3} for the tests that run Python against the test application: the test is
 * skipped when it (or a module it needs) is missing, and fails under {@code CI=true}, where
 * {@code .ci/run} installs them.
 */
final class Python3 {

    private Python3() {
    }

    /** What a Python process printed (stdout and stderr together) and its exit status. */
    record Run(int exit, String output) {
    }

    /**
     * Starts {@code process} and calls {@code tick} about every 300 ms until it ends (a test application's
     * coordinator is ticked by hand); fails the test with its output when it runs past {@code limit}.
     */
    static Run run(ProcessBuilder process, Duration limit, Runnable tick) throws IOException, InterruptedException {
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

    /** {@code python3} when it runs and can import every module of {@code modules}. */
    static String require(String why, String... modules) throws InterruptedException {
        String imports = "import sys" + Arrays.stream(modules).map(m -> "; import " + m).collect(Collectors.joining());
        String missing = "python3" + (modules.length == 0 ? "" : " with " + String.join(", ", modules));
        try {
            Process p = new ProcessBuilder("python3", "-c", imports).redirectErrorStream(true).start();
            if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
                return "python3";
            }
        } catch (IOException e) {
            // not on the PATH: decided below
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(missing + " is not available; " + why + " cannot be tested (.ci/run installs it with apt-get)");
        }
        Assumptions.abort(missing + " is not available; skipping the test of " + why);
        return null;
    }
}

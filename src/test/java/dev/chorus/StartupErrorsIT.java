package dev.chorus;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The packaged application refuses a data directory that cannot hold the database, saying what to fix. */
class StartupErrorsIT {

    private static final Path JAR = Path.of(System.getProperty("chorus.jar", "target/quarkus-app/quarkus-run.jar"));

    @Test
    void aDataDirectoryThatIsAFileStopsTheStartWithAClearError() throws Exception {
        Path file = Files.writeString(Files.createTempFile("chorus-data", ".txt"), "a file, not a directory");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Dquarkus.http.port=0",
                "-Dquarkus.management.port=0", "-Dchorus.db.data-dir=" + file, "-jar", JAR.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isNotZero();
        assertThat(out.lines().findFirst().orElse("")).as("the first line says what is wrong")
                .startsWith("Chorus cannot start: the data directory " + file + " is a file, not a directory")
                .contains("chorus.db.data-dir");
    }

    @Test
    void aConfiguredTokenTooShortToBeSafeStopsTheStart() throws Exception {
        Path data = Files.createTempDirectory("chorus-short-token");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Dquarkus.http.port=0",
                "-Dquarkus.management.port=0", "-Dchorus.db.data-dir=" + data.resolve("pg"),
                "-Dchorus.worker.processes=0", "-Dchorus.auth.admin-token=secret", "-jar", JAR.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isNotZero();
        assertThat(out).contains("chorus.auth.admin-token must be at least 32 characters long; make one with: "
                + "openssl rand -hex 32");
    }
}

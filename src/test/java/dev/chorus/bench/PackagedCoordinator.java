package dev.chorus.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The packaged coordinator ({@code target/quarkus-app/quarkus-run.jar}) run as a process of its own, as
 * README starts it, for benchmarks that measure it from outside: on free ports, with its embedded
 * PostgreSQL in a fresh temporary folder (also its working directory, where it logs to {@code chorus.log})
 * and no worker process (workers are JVMs of their own, not the coordinator). {@link #close} stops it and
 * its PostgreSQL and deletes the database.
 *
 * @implNote Not thread-safe: one benchmark thread starts, samples and stops it.
 */
final class PackagedCoordinator implements AutoCloseable {

    /** The JVM options of README's command: {@code java --enable-native-access=ALL-UNNAMED -jar ...}. */
    static final List<String> README_OPTIONS = List.of("--enable-native-access=ALL-UNNAMED");

    private final Process process;
    private final Path dir;
    private final int port;

    private PackagedCoordinator(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /**
     * Starts {@code jar} with the JVM options {@code jvmOptions} and the environment variables {@code env}
     * added to this JVM's, and waits until its readiness check answers 200 (2 minutes at most).
     */
    static PackagedCoordinator start(Path jar, List<String> jvmOptions, Map<String, String> env) throws Exception {
        assertThat(jar).as("package first: ./mvnw -q package -DskipTests").exists();
        Path dir = Files.createTempDirectory("chorus-packaged");
        int port = freePort();
        int management = freePort();
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-Dquarkus.http.port=" + port, "-Dquarkus.management.port=" + management,
                "-Dchorus.db.data-dir=" + dir.resolve("pg"), "-Dchorus.worker.enabled=false",
                "-Dchorus.worker.processes=0", "-jar", jar.toAbsolutePath().toString()));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("chorus.log").toFile());
        pb.environment().putAll(env);
        PackagedCoordinator chorus = new PackagedCoordinator(pb.start(), dir, port);
        try {
            chorus.awaitReady(URI.create("http://localhost:" + management + "/q/health/ready"));
        } catch (Exception | AssertionError e) {
            chorus.close();
            throw e;
        }
        return chorus;
    }

    /** The root of its public port, ending in {@code /}. */
    URI root() {
        return URI.create("http://localhost:" + port + "/");
    }

    long pid() {
        return process.pid();
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    /**
     * Its embedded PostgreSQL, signed in as Chorus itself (the password Chorus keeps in the data
     * directory), for a benchmark that writes a study's trials by SQL as the in-process benchmarks do.
     */
    DataSource database() throws IOException {
        Path pg = dir.resolve("pg");
        PGSimpleDataSource db = new PGSimpleDataSource();
        db.setServerNames(new String[] {"localhost"});
        db.setPortNumbers(new int[] {Integer.parseInt(Files.readAllLines(pg.resolve("postmaster.pid")).get(3).strip())});
        db.setDatabaseName("postgres");
        db.setUser("postgres");
        db.setPassword(Files.readString(pg.resolve("chorus-password")).strip());
        return db;
    }

    /** The heap after a full collection, in KiB: what is used and what is committed. */
    record Heap(long usedKiB, long committedKiB) {
    }

    /**
     * Runs a full collection in the coordinator ({@code jcmd GC.run}) and reads its heap ({@code GC.heap_info}:
     * the sum over its generations' {@code total ..K, used ..K} lines, or G1's {@code committed ..K, used ..K}).
     */
    Heap heapAfterFullGc() throws Exception {
        jcmd("GC.run");
        String info = jcmd("GC.heap_info");
        Matcher m = Pattern.compile("(?:total|committed) (\\d+)K, used (\\d+)K").matcher(info);
        long used = 0;
        long committed = 0;
        boolean found = false;
        while (m.find()) {
            committed += Long.parseLong(m.group(1));
            used += Long.parseLong(m.group(2));
            found = true;
        }
        assertThat(found).as("heap used in %s", info).isTrue();
        return new Heap(used, committed);
    }

    /** Runs a {@code jcmd} command in the coordinator and returns what it printed. */
    String jcmd(String command) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), command).redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as("jcmd %s: %s", command, out).isZero();
        return out;
    }

    /** A number field of {@code /proc/PID/status}: {@code Threads}, or {@code VmRSS} and {@code VmHWM} in KiB. */
    long status(String field) throws IOException {
        return Files.readAllLines(Path.of("/proc/" + process.pid() + "/status")).stream()
                .filter(l -> l.startsWith(field + ":")).mapToLong(l -> Long.parseLong(l.replaceAll("\\D", "")))
                .findFirst().orElseThrow(() -> new IllegalStateException("no " + field + " in /proc/PID/status"));
    }

    private void awaitReady(URI ready) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive()).as("the coordinator exited; see %s", dir.resolve("chorus.log")).isTrue();
            try {
                if (http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the coordinator was not ready within 2 minutes; see " + dir.resolve("chorus.log"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /**
     * Stops the coordinator (and so its PostgreSQL; whatever of it outlives it is stopped too), then deletes
     * the database's folder; the log ({@code chorus.log}) stays in the temporary folder.
     */
    @Override
    public void close() throws Exception {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        for (ProcessHandle child : children) {
            child.destroy();
            child.onExit().completeOnTimeout(child, 60, TimeUnit.SECONDS).join();
        }
        if (!Files.exists(dir.resolve("pg"))) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir.resolve("pg"))) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}

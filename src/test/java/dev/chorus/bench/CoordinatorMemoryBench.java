package dev.chorus.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chorus.BulkTrials;
import dev.chorus.TestStudies;
import dev.chorus.web.DashboardRequests;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The packaged coordinator's memory at 100,000 and 1,000,000 trials (issue 18, item 5: under 512 MiB
 * resident). For each size of {@code bench.trials} it starts {@code target/quarkus-app/quarkus-run.jar} as a
 * process of its own ({@link PackagedCoordinator}: its embedded PostgreSQL, no worker processes) with the JVM
 * options {@code bench.jvm} (default: README's, {@link PackagedCoordinator#README_OPTIONS}) and the
 * environment variables {@code bench.env}; creates {@value #OTHER_STUDIES} studies of {@value #OTHER_TRIALS}
 * finished trials and one of that size over REST and writes their trials by SQL into its database
 * ({@link BulkTrials}, as {@code DashboardScaleBench} does in its test JVM); times the dashboard's and REST's
 * requests of {@link DashboardRequests} ({@code bench.calls} calls each after 2 warm-up calls) and the
 * report's exports. At four points (started; the studies written; the requests served; the reports exported)
 * it records the process's resident set and its peak so far ({@code VmRSS}, {@code VmHWM} of
 * {@code /proc/PID/status}, read first), then its heap after a full collection ({@code jcmd GC.run},
 * {@code GC.heap_info}) and its OS threads. PostgreSQL is a process of its own and not counted.
 *
 * <p>Run: {@code bench/run coordinator-memory} (packages first), or {@code ./mvnw -q test
 * -Dtest=CoordinatorMemoryBench [-Dbench.trials=100000,1000000] [-Dbench.jvm="-XX:+UseSerialGC -Xmx256m"]
 * [-Dbench.env="MALLOC_ARENA_MAX=2"] [-Dbench.label=serial-256m] [-Dbench.calls=20]}; writes
 * bench/results/coordinator-memory.md, or coordinator-memory-LABEL.md with a label. Records; asserts
 * nothing about the figures.
 */
class CoordinatorMemoryBench {

    static final int OTHER_STUDIES = 200;
    static final int OTHER_TRIALS = 20;

    @Test
    void run() throws Exception {
        Path jar = Path.of(System.getProperty("bench.jar", "target/quarkus-app/quarkus-run.jar"));
        String label = System.getProperty("bench.label", "");
        String jvm = System.getProperty("bench.jvm", String.join(" ", PackagedCoordinator.README_OPTIONS)).strip();
        String env = System.getProperty("bench.env", "").strip();
        String trials = System.getProperty("bench.trials", "100000");
        int calls = Integer.getInteger("bench.calls", 20);
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "# Packaged coordinator memory%s%n%n"
                + "Measured %s on %s; commit %s. The coordinator: `%sjava %s -jar %s` (plus its ports, data folder "
                + "and `-Dchorus.worker.processes=0`), on its embedded PostgreSQL (a process of its own, not counted). "
                + "Command: `bench/run coordinator-memory -- -Dbench.trials=%s -Dbench.jvm=\"%s\"%s%s`.%n",
                label.isEmpty() ? "" : " (" + label + ")", Instant.now().toString().substring(0, 16).replace('T', ' '),
                Stats.machine(), commit(), env.isEmpty() ? "" : env + " ", jvm, jar, trials, jvm,
                env.isEmpty() ? "" : " -Dbench.env=\"" + env + "\"", label.isEmpty() ? "" : " -Dbench.label=" + label));
        for (String size : trials.split(",")) {
            md.append(size(jar, words(jvm), environment(env), Integer.parseInt(size.strip()), calls));
        }
        Stats.write("coordinator-memory" + (label.isEmpty() ? "" : "-" + label) + ".md", md.toString());
    }

    /** The process's memory at one point of the run. */
    record Sample(String point, long rssKiB, long peakKiB, PackagedCoordinator.Heap heap, long rssAfterGcKiB,
                  long threads, String load) {

        static Sample of(String point, PackagedCoordinator chorus) throws Exception {
            long rss = chorus.status("VmRSS"); // before the full collection, which may give memory back
            long peak = chorus.status("VmHWM");
            PackagedCoordinator.Heap heap = chorus.heapAfterFullGc();
            return new Sample(point, rss, peak, heap, chorus.status("VmRSS"), chorus.status("Threads"), Stats.load());
        }

        String row() {
            return String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.0f | %.0f | %.0f | %d | %s |%n", point,
                    rssKiB / 1024.0, peakKiB / 1024.0, heap.usedKiB() / 1024.0, heap.committedKiB() / 1024.0,
                    rssAfterGcKiB / 1024.0, threads, load);
        }
    }

    private static String size(Path jar, List<String> jvm, Map<String, String> env, int n, int calls) throws Exception {
        try (PackagedCoordinator chorus = PackagedCoordinator.start(jar, jvm, env)) {
            List<Sample> samples = new ArrayList<>();
            samples.add(Sample.of("started", chorus));
            long fill = System.nanoTime();
            long id = write(chorus, n);
            double fillSeconds = (System.nanoTime() - fill) / 1e9;
            samples.add(Sample.of("studies written", chorus));

            DashboardRequests http = new DashboardRequests(chorus.root());
            StringBuilder requests = new StringBuilder(DashboardRequests.Timed.HEADER);
            long worstP95 = 0;
            for (Map.Entry<String, String> call : DashboardRequests.of(id, n, OTHER_STUDIES + 1).entrySet()) {
                DashboardRequests.Timed t = http.time(call.getValue(), calls);
                worstP95 = Math.max(worstP95, t.p95());
                requests.append(t.row(call.getKey()));
            }
            samples.add(Sample.of("requests served", chorus));
            String exports = http.exports(id);
            samples.add(Sample.of("reports exported", chorus));

            StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "%n## %,d trials%n%nOne study of %,d "
                    + "finished trials and %d of %d, created over REST and written by SQL in %.1f s (then VACUUM "
                    + "ANALYZE). Memory in MiB; resident set and peak read before the full collection that the heap "
                    + "figures follow, and the resident set again after it.%n%n| point | resident (VmRSS) | peak "
                    + "(VmHWM) | heap used after full GC | heap committed after it | resident after it | OS threads | "
                    + "load (1 min) |%n|---|---|---|---|---|---|---|---|%n", n, n, OTHER_STUDIES,
                    OTHER_TRIALS, fillSeconds));
            samples.forEach(s -> md.append(s.row()));
            md.append(String.format(Locale.ROOT, "%nWorst p95 of the requests: %d ms. %d calls of each after %d "
                    + "warm-up calls, over HTTP on localhost.%n%n", worstP95, calls, DashboardRequests.WARM_UP));
            md.append(requests).append('\n').append(exports);
            if (jvm.stream().anyMatch(o -> o.startsWith("-XX:NativeMemoryTracking="))) {
                md.append("\n<details><summary>Native memory after the exports (jcmd VM.native_memory summary)"
                        + "</summary>\n\n```\n").append(chorus.jcmd("VM.native_memory summary").strip())
                        .append("\n```\n</details>\n");
            }
            return md.toString();
        }
    }

    /**
     * Creates {@value #OTHER_STUDIES} studies over REST and writes {@value #OTHER_TRIALS} finished trials into
     * each, then one study of {@code n}; VACUUM ANALYZE as autovacuum would. Returns the large study's id.
     */
    private static long write(PackagedCoordinator chorus, int n) throws Exception {
        DataSource db = chorus.database();
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < OTHER_STUDIES; i++) {
            BulkTrials.fill(db, create(http, chorus), OTHER_TRIALS);
        }
        long id = create(http, chorus);
        BulkTrials.fill(db, id, n);
        try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
            st.execute("VACUUM ANALYZE trial, trial_result, hypervolume_history");
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM study")) {
                assertThat(rs.next() && rs.getLong(1) == OTHER_STUDIES + 1).as("the studies written").isTrue();
            }
        }
        return id;
    }

    /** A study of {@code tiny.yaml}, created (not started) over REST as an admin on loopback; its id. */
    private static long create(HttpClient http, PackagedCoordinator chorus) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(chorus.root().resolve("api/studies?start=false"))
                .header("Content-Type", "application/yaml")
                .POST(HttpRequest.BodyPublishers.ofString(TestStudies.tinyYaml(), StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("create a study: %s", r.body()).isEqualTo(201);
        return new ObjectMapper().readTree(r.body()).get("id").asLong();
    }

    private static List<String> words(String options) {
        return options.isEmpty() ? List.of() : Arrays.asList(options.split("\\s+"));
    }

    /** {@code NAME=value NAME=value} as a map. */
    private static Map<String, String> environment(String env) {
        Map<String, String> vars = new LinkedHashMap<>();
        for (String pair : words(env)) {
            int eq = pair.indexOf('=');
            assertThat(eq).as("bench.env: NAME=value, not %s", pair).isPositive();
            vars.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return vars;
    }

    /** The checked-out commit, with {@code -dirty} when tracked files differ from it. */
    private static String commit() {
        try {
            Process git = new ProcessBuilder("git", "describe", "--always", "--dirty").redirectErrorStream(true).start();
            String out = new String(git.getInputStream().readAllBytes()).strip();
            return git.waitFor() == 0 ? out : "unknown";
        } catch (Exception e) {
            return "unknown";
        }
    }
}

package dev.chorus.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chorus.BulkTrials;
import dev.chorus.TestStudies;
import dev.chorus.dispatch.HttpTrialProtocol;
import dev.chorus.dispatch.TrialProtocol;
import dev.chorus.study.StudyService;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Orchestration overhead against Optuna (issue 9, item 1): how fast one client moves trials through
 * ask and tell when the study already holds 1,000, 10,000 and 1,000,000 finished trials. Chorus: a
 * steady-state study with the random sampler, its finished trials written by SQL ({@link BulkTrials}),
 * then {@code bench.window} trials claimed and completed over the HTTP trial protocol (the coordinator
 * loop proposes, queues and records them as in production). Optuna ({@code bench/optuna/overhead.py},
 * Debian's python3-optuna with psycopg2): RDB storage in a database of the same PostgreSQL server,
 * RandomSampler, its finished trials written by SQL into Optuna's own tables, then the same number of
 * ask/tell rounds. Nobody trains: what is timed is each system's own bookkeeping per trial.
 *
 * <p>A size above 1,000,000 less the window is filled to that: a study's budget is at most 1,000,000
 * trials, and the window adds its trials. Optuna runs only at {@code bench.optunaSizes} (its cost per
 * trial grows with the study: at 100,000 it took about a second a trial).
 *
 * <p>The client completes each trial and claims the next in one exchange ({@code /complete-and-claim}), as
 * a worker does; {@code -Dbench.exchange=two} makes it call {@code /complete} and {@code /claim} apart, as
 * before that call existed.
 *
 * <p>Run: {@code ./mvnw -q test -Dtest=OverheadVersusOptunaBench [-Dbench.sizes=1000,10000,1000000]
 * [-Dbench.optunaSizes=1000,10000] [-Dbench.window=300] [-Dbench.racing=true] [-Dbench.rows=300 -Dbench.features=6]
 * [-Dbench.exchange=one|two]}
 * or {@code bench/run overhead}; writes bench/results/overhead-vs-optuna.md ({@code overhead-vs-optuna-<rows>x<features>.md}
 * for a table of another size than tiny.yaml's 300 x 6).
 */
@QuarkusTest
@TestProfile(OverheadVersusOptunaBench.Profile.class)
class OverheadVersusOptunaBench {

    /** A study's trial budget at most ({@code SpecParser}). */
    private static final int MAX_TRIALS = 1_000_000;

    /** The coordinator proposes and queues trials; nobody trains: the bench's client completes them. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("chorus.worker.enabled", "false", "chorus.worker.processes", "0");
        }
    }

    @Inject
    StudyService studies;
    @Inject
    AgroalDataSource db;
    @TestHTTPResource("/")
    URI base;
    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;
    @ConfigProperty(name = "quarkus.datasource.username")
    String user;
    @ConfigProperty(name = "quarkus.datasource.password")
    String password;

    private final Map<Integer, DbActivity> activity = new LinkedHashMap<>();
    private final Map<Integer, String> calls = new LinkedHashMap<>();
    /** The study's table: tiny.yaml's 300 x 6 unless {@code bench.rows} / {@code bench.features} say otherwise. */
    private final int rows = Integer.getInteger("bench.rows", 300);
    private final int features = Integer.getInteger("bench.features", 6);

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    @Test
    void run() throws Exception {
        List<Integer> sizes = sizes("bench.sizes", "1000,10000,1000000");
        List<Integer> optunaSizes = sizes("bench.optunaSizes", "1000,10000");
        int window = Integer.getInteger("bench.window", 300);
        boolean racing = Boolean.getBoolean("bench.racing");
        boolean twoCalls = "two".equals(System.getProperty("bench.exchange", "one"));
        String load = loadAverage();

        Map<Integer, double[]> chorus = new LinkedHashMap<>();
        for (int size : sizes) {
            chorus.put(size, chorus(Math.min(size, MAX_TRIALS - window), window, racing, twoCalls));
        }
        String loadAfterChorus = loadAverage();
        JsonNode optuna = optunaSizes.isEmpty() ? null : optuna(optunaSizes, window);

        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, """
                One client, %d trials per size after the study already holds that many finished trials (written by \
                SQL; at 1,000,000 the study holds %,d so that the window stays within a study's budget of %,d), \
                on one PostgreSQL 18 server (embedded), Java %s, Optuna %s; load average %s at the start, %s after \
                Chorus's sizes; the study's table: %d rows x %d features. "first claim" is the wait for the first trial after the study starts: the coordinator's \
                one-time read of the history (not in the window). %s %s

                | finished trials in the study | Chorus trials/s | Chorus ms per trial (median, p90) | first claim s \
                | Optuna trials/s | Optuna ms per trial (median, p90) | Chorus / Optuna |
                |---|---|---|---|---|---|---|
                """, window, MAX_TRIALS - window, MAX_TRIALS, System.getProperty("java.version"),
                optuna == null ? "not run" : optuna.get("optuna").asText(), load, loadAfterChorus,
                rows, features, racing
                        ? "Racing (`-Dbench.racing=true`): the client sends each task a seeded uniform value in [0.5, 1] "
                        + "against baselines of 0.7, so that first runs enter the front, race on their repeats "
                        + "(`evaluation.repeats` 3) and settle, as in a study whose candidates can win."
                        : "Every trial scores below its baselines (0.6 against 0.7): none enters the front, none races.",
                twoCalls ? "The client calls `/complete`, then `/api/workers/claim` (`-Dbench.exchange=two`)."
                        : "The client completes each trial and claims the next in one call (`/complete-and-claim`)."));
        for (int size : sizes) {
            double[] c = chorus.get(size);
            JsonNode o = optuna == null ? null : optuna.get("sizes").get(Integer.toString(size));
            String optunaCells = o == null ? "not run | | " : String.format(Locale.ROOT, "%.1f | %.1f, %.1f | %.2f",
                    o.get("trialsPerSecond").asDouble(), o.get("msMedian").asDouble(), o.get("msP90").asDouble(),
                    c[0] / o.get("trialsPerSecond").asDouble());
            md.append(String.format(Locale.ROOT, "| %,d | %.1f | %.1f, %.1f | %.1f | %s |%n", Math.min(size,
                    MAX_TRIALS - window), c[0], c[1], c[2], c[3], optunaCells));
        }
        md.append("""

                What Chorus asks of PostgreSQL per trial in the window (cluster-wide statistics read before and after \
                it, each read after %d s so that every connection has flushed its counters; the coordinator's ticks \
                while the window ran and during the wait are included):

                """.formatted(DbActivity.FLUSH.toSeconds()));
        activity.forEach((size, a) -> md.append("- at ").append(String.format(Locale.ROOT, "%,d", size)).append(": ")
                .append(calls.get(size)).append("; ").append(a.describe()).append('\n'));
        Stats.write(rows == 300 && features == 6 ? "overhead-vs-optuna.md"
                : "overhead-vs-optuna-" + rows + "x" + features + ".md", md.toString());
    }

    private static List<Integer> sizes(String property, String defaults) {
        String value = System.getProperty(property, defaults).trim();
        return value.isEmpty() ? List.of() : java.util.Arrays.stream(value.split(",")).map(String::trim)
                .map(Integer::parseInt).toList();
    }

    private static String loadAverage() throws java.io.IOException {
        return java.nio.file.Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    }

    /** @return trials per second, median and p90 ms per trial, seconds to the first claim */
    private double[] chorus(int size, int window, boolean racing, boolean twoCalls) throws Exception {
        String yaml = TestStudies.tinyYaml().replace("sampler: nsga2", "sampler: random")
                .replace("  population: 4\n", "  population: 4\n  schedule: steady-state\n  concurrency: 8\n")
                .replace("max-trials: 8", "max-trials: " + MAX_TRIALS).replace("max-minutes: 10", "max-minutes: 600")
                .replace("name: tiny", "name: overhead-" + size)
                // -Dbench.rows / -Dbench.features: a table of another size (the demo's is 3000 x 48)
                .replace("rows: 300", "rows: " + rows)
                .replace("features: 6", "features: " + features)
                .replace("repeats: 1 ", racing ? "repeats: 3 " : "repeats: 1 ");
        long id = studies.create(yaml, Path.of(".")).id();
        BulkTrials.fill(db, id, size);
        if (racing) {
            BulkTrials.raceFront(db, id, 3); // the history's front members raced as the study's would have
        }
        studies.start(id);
        TrialProtocol http = new HttpTrialProtocol(base, Duration.ofSeconds(30));
        long first = System.nanoTime();
        Optional<TrialProtocol.Assignment> warm = Optional.empty();
        while (warm.isEmpty() && System.nanoTime() - first < Duration.ofMinutes(10).toNanos()) {
            warm = http.claim("warm-up", Duration.ofSeconds(20));
        }
        warm.ifPresent(a -> http.release(a.trialId(), a.claim(), "warm-up"));
        double firstClaim = (System.nanoTime() - first) / 1e9;
        DbActivity before = DbActivity.read(db);
        List<Double> ms = new ArrayList<>();
        List<Double> claimMs = new ArrayList<>();
        List<Double> completeMs = new ArrayList<>();
        java.util.Random values = new java.util.Random(size);
        long start = System.nanoTime();
        Optional<TrialProtocol.Assignment> next = Optional.empty();
        for (int i = 0; i < window; i++) {
            long t0 = System.nanoTime();
            Optional<TrialProtocol.Assignment> a = next;
            if (a.isEmpty()) {
                a = http.claim("overhead", Duration.ofSeconds(30));
                claimMs.add((System.nanoTime() - t0) / 1e6);
            }
            assertThat(a).as("a trial queued within 30 s").isPresent();
            List<TrialProtocol.Result> results = new ArrayList<>();
            List<TrialProtocol.NewBaseline> baselines = new ArrayList<>();
            for (TrialProtocol.TaskInfo task : a.get().tasks()) { // the baselines under the assignment's keys
                double value = racing ? 0.5 + values.nextDouble() / 2 : 0.6;
                results.add(new TrialProtocol.Result(task.name(), value, value, task.baselineHash()));
                baselines.add(new TrialProtocol.NewBaseline(task.baselineHash(), task.name(), 0.7, 0.7, 1.0, null));
            }
            long t1 = System.nanoTime();
            TrialProtocol.Completion completion = new TrialProtocol.Completion(results, baselines);
            if (twoCalls || i == window - 1) {
                http.complete(a.get().trialId(), a.get().claim(), completion);
                next = Optional.empty();
            } else {
                next = http.completeAndClaim(a.get().trialId(), a.get().claim(), completion, "overhead",
                        Duration.ofSeconds(30), null);
            }
            completeMs.add((System.nanoTime() - t1) / 1e6);
            ms.add((System.nanoTime() - t0) / 1e6);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        activity.put(size, DbActivity.read(db).minus(before).per(window));
        calls.put(size, String.format(Locale.ROOT, twoCalls ? "claim %.1f ms, complete %.1f ms (medians)"
                : "%d claims of their own (the completion before brought none) %.1f ms, complete-and-claim %.1f ms (medians)",
                twoCalls ? new Object[] {median(claimMs), median(completeMs)}
                        : new Object[] {claimMs.size(), median(claimMs), median(completeMs)}));
        try {
            studies.cancel(id);
        } catch (dev.chorus.error.ConflictException e) { // the window spent the last of the budget: it completed
            System.out.println("study " + id + " finished by itself: " + e.getMessage());
        }
        ms.sort(null);
        return new double[] {window / seconds, ms.get(ms.size() / 2), ms.get((int) (0.9 * (ms.size() - 1))), firstClaim};
    }

    private JsonNode optuna(List<Integer> sizes, int window) throws Exception {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS optuna_bench");
            s.execute("CREATE DATABASE optuna_bench");
        }
        URI server = URI.create(jdbcUrl.substring("jdbc:".length()));
        String url = "postgresql+psycopg2://" + user + "@" + server.getHost() + ":" + server.getPort() + "/optuna_bench";
        String dsn = "host=" + server.getHost() + " port=" + server.getPort() + " dbname=optuna_bench user=" + user;
        ProcessBuilder optuna = new ProcessBuilder(TrainingThroughputBench.PYTHON, "bench/optuna/overhead.py", "--url",
                url, "--dsn", dsn, "--sizes", String.join(",", sizes.stream().map(String::valueOf).toList()),
                "--window", Integer.toString(window)).redirectError(ProcessBuilder.Redirect.INHERIT);
        optuna.environment().put("PGPASSWORD", password); // libpq reads it; never on the command line
        Process p = optuna.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as("the Optuna script: %s", out).isZero();
        return new ObjectMapper().readTree(out);
    }
}

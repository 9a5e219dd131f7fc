package dev.chorus.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.TestStudies;
import dev.chorus.dispatch.HttpTrialProtocol;
import dev.chorus.dispatch.TrialProtocol;
import dev.chorus.search.Pareto;
import dev.chorus.server.TrialService;
import dev.chorus.study.StudyService;
import dev.chorus.trial.FrontStore;
import dev.chorus.trial.TaskResult;
import dev.chorus.trial.Trial;
import dev.chorus.trial.TrialState;
import dev.chorus.trial.TrialStore;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A bounded load test on loopback (issue 8, item 3): 50 workers speak the trial protocol over HTTP
 * (claim, heartbeat, one intermediate report, complete) as fast as they can while 50 readers page
 * through the study's trials, its Pareto front and its progress. Records throughput, p50/p99 latency per
 * call and every non-2xx answer, then checks the stored front against a recomputation over all trials.
 * A worker completes each trial and claims its next in one call ({@code /complete-and-claim}), as
 * Chorus's own workers do; {@code -Dbench.exchange=two} makes it call {@code /complete} and {@code /claim}
 * apart.
 *
 * <p>Run: {@code ./mvnw -q test -Dtest=ProtocolLoadBench [-Dbench.seconds=60] [-Dbench.workers=50]
 * [-Dbench.readers=50] [-Dbench.exchange=one|two] [-Dbench.concurrency=200] [-Dbench.warmup=30]}; writes
 * bench/results/protocol-load.md. The window follows {@code bench.warmup} seconds of the same load.
 */
@QuarkusTest
@TestProfile(ProtocolLoadBench.Profile.class)
class ProtocolLoadBench {

    /** The coordinator refills the queue; nobody trains: the load's workers complete trials themselves. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("chorus.worker.enabled", "false", "chorus.worker.processes", "0",
                    "chorus.coordinator.interval", "200ms", "quarkus.datasource.jdbc.max-size", "40");
        }
    }

    @Inject
    StudyService studies;
    @Inject
    TrialStore trials;
    @Inject
    FrontStore fronts;
    @Inject
    TrialService protocol;
    @TestHTTPResource("/")
    URI base;

    private final Map<String, List<Long>> latencies = new ConcurrentHashMap<>();
    /** {@code -Dbench.exchange=two}: complete and claim in two calls, as before {@code /complete-and-claim}. */
    private static final boolean TWO_CALLS = "two".equals(System.getProperty("bench.exchange", "one"));

    /**
     * {@code -Dbench.warmup}: seconds of the same load before the measured window, unmeasured (errors still
     * count). A CPU profile of a run without it put a quarter of the JVM's CPU in the JIT compiler's threads.
     */
    private static final int WARMUP = Integer.getInteger("bench.warmup", 30);

    /** {@code -Dbench.concurrency}: the study's trials waiting or running at once. */
    private static final int CONCURRENCY = Integer.getInteger("bench.concurrency", 200);

    private final Map<String, AtomicLong> errors = new ConcurrentHashMap<>();
    private final AtomicLong completed = new AtomicLong();
    private final List<Integer> waiting = Collections.synchronizedList(new ArrayList<>());

    @Test
    void run() throws Exception {
        int seconds = Integer.getInteger("bench.seconds", 60);
        int workers = Integer.getInteger("bench.workers", 50);
        int readers = Integer.getInteger("bench.readers", 50);
        String yaml = TestStudies.tinyYaml().replace("  population: 4\n",
                        "  population: 4\n  schedule: steady-state\n  concurrency: " + CONCURRENCY + "\n")
                .replace("max-trials: 8", "max-trials: 100000").replace("max-minutes: 10", "max-minutes: 60");
        String loadBefore = loadAverage();
        long study = studies.start(studies.create(yaml, Path.of(".")).id()).id();
        if (WARMUP > 0) { // the same load first, unmeasured, so that the window does not time the JIT's warm-up
            load(study, WARMUP, workers, readers);
            latencies.clear();
            completed.set(0);
            waiting.clear();
        }
        long start = System.nanoTime();
        load(study, seconds, workers, readers);
        double elapsed = (System.nanoTime() - start) / 1e9;
        studies.cancel(study);
        assertThat(protocol.awaitFronts(Duration.ofMinutes(5))).as("the fronts took every completion").isTrue();

        List<Trial> complete = trials.listFinished(study).stream().filter(t -> t.state() == TrialState.COMPLETE).toList();
        List<Long> expected = Pareto.nonDominated(complete.stream().map(ProtocolLoadBench::deltas).toList()).stream()
                .map(i -> complete.get(i).id()).sorted().toList();
        List<Long> stored = fronts.front(study).stream().map(Trial::id).sorted().toList();
        assertThat(stored).as("the incrementally kept front equals a recomputation over all %d trials", complete.size())
                .isEqualTo(expected);
        write(study, seconds, workers, readers, elapsed, complete.size(), stored.size(), loadBefore, loadAverage());
        assertThat(errors.values().stream().mapToLong(AtomicLong::get).sum()).as("errors %s", errors).isZero();
    }

    private static double[] deltas(Trial t) {
        List<TaskResult> rs = t.results().stream().sorted(java.util.Comparator.comparing(TaskResult::task)).toList();
        double[] v = new double[rs.size() + 1];
        for (int i = 0; i < rs.size(); i++) {
            v[i] = rs.get(i).validation().delta();
        }
        v[rs.size()] = -t.candidate().groupCount();
        return v;
    }

    private void work(String name, long deadline) {
        TrialProtocol http = new HttpTrialProtocol(base, Duration.ofSeconds(5));
        Random random = new Random(name.hashCode());
        Optional<TrialProtocol.Assignment> next = Optional.empty();
        while (System.nanoTime() < deadline) {
            try {
                var claimed = next.isPresent() ? next : timed("claim", () -> http.claim(name, Duration.ofSeconds(1)));
                next = Optional.empty();
                if (claimed.isEmpty()) {
                    continue;
                }
                var a = claimed.get();
                timed("heartbeat", () -> http.heartbeat(a.trialId(), a.claim()));
                timed("intermediate", () -> http.report(a.trialId(), a.claim(), 0, Map.of("a1", random.nextDouble())));
                List<TrialProtocol.Result> results = new ArrayList<>();
                List<TrialProtocol.NewBaseline> baselines = new ArrayList<>();
                for (TrialProtocol.TaskInfo task : a.tasks()) { // the baselines under the assignment's keys
                    double value = 0.5 + random.nextDouble() / 2;
                    results.add(new TrialProtocol.Result(task.name(), value, value, task.baselineHash()));
                    baselines.add(new TrialProtocol.NewBaseline(task.baselineHash(), task.name(), 0.7, 0.7, 1.0, null));
                }
                TrialProtocol.Completion completion = new TrialProtocol.Completion(results, baselines);
                if (TWO_CALLS) {
                    timed("complete", () -> {
                        http.complete(a.trialId(), a.claim(), completion);
                        return null;
                    });
                } else {
                    next = timed("complete-and-claim", () -> http.completeAndClaim(a.trialId(), a.claim(), completion,
                            name, Duration.ZERO, null)); // no wait: its latency stays the completion's
                }
                completed.incrementAndGet();
            } catch (RuntimeException e) {
                errors.computeIfAbsent("worker: " + e.getClass().getSimpleName() + ": " + e.getMessage(), k -> new AtomicLong())
                        .incrementAndGet();
            }
        }
        // a trial the last completion claimed goes back now, not when its lease runs out during the next phase
        next.ifPresent(a -> http.release(a.trialId(), a.claim(), "the load phase ended"));
    }

    private void read(HttpClient http, long study, Random random, long deadline) {
        List<String> paths = List.of("api/studies/" + study, "api/studies/" + study + "/pareto",
                "api/studies/" + study + "/trials?page=%d&size=50");
        while (System.nanoTime() < deadline) {
            int which = random.nextInt(paths.size());
            String path = paths.get(which).formatted(random.nextInt(20));
            String key = "GET " + paths.get(which).replace("%d", "N").replace(Long.toString(study), "{id}");
            try {
                HttpResponse<String> r = timed(key, () -> {
                    try {
                        return http.send(HttpRequest.newBuilder(base.resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                if (r.statusCode() != 200) {
                    errors.computeIfAbsent(key + " HTTP " + r.statusCode(), k -> new AtomicLong()).incrementAndGet();
                }
            } catch (RuntimeException e) {
                errors.computeIfAbsent(key + ": " + e.getMessage(), k -> new AtomicLong()).incrementAndGet();
            }
        }
    }

    private <T> T timed(String call, java.util.function.Supplier<T> body) {
        long t0 = System.nanoTime();
        T result = body.get();
        latencies.computeIfAbsent(call, k -> Collections.synchronizedList(new ArrayList<>())).add(System.nanoTime() - t0);
        return result;
    }

    private void load(long study, int seconds, int workers, int readers) {
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int w = 0; w < workers; w++) {
                String name = "load-" + w;
                pool.submit(() -> work(name, deadline));
            }
            HttpClient http = HttpClient.newHttpClient();
            for (int r = 0; r < readers; r++) {
                Random random = new Random(r);
                pool.submit(() -> read(http, study, random, deadline));
            }
            pool.submit(() -> sampleQueue(study, deadline));
        }
    }

    /** Trials waiting to be claimed, read every 250 ms: whether the coordinator keeps the queue filled. */
    private void sampleQueue(long study, long deadline) {
        while (System.nanoTime() < deadline) {
            try {
                waiting.add(trials.counts(study).of(TrialState.WAITING));
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) { // a busy pool: this sample is missing, the load goes on
                errors.computeIfAbsent("queue sample: " + e.getMessage(), k -> new AtomicLong()).incrementAndGet();
            }
        }
    }

    private static String loadAverage() throws java.io.IOException {
        return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    }

    private void write(long study, int seconds, int workers, int readers, double elapsed, int complete, int front,
                       String loadBefore, String loadAfter) throws Exception {
        StringBuilder md = new StringBuilder();
        md.append("# Trial protocol and read endpoints under load\n\n");
        md.append(String.format(Locale.ROOT, "Measured %s on this machine (%d cores, Java %s), loopback, embedded "
                + "PostgreSQL; %d protocol workers + %d readers for %d s; load average %s before, %s after; %s; a steady-state study with %d trials waiting or running at once; %d s of the same load before the window, unmeasured; command: "
                + "`./mvnw -q test -Dtest=ProtocolLoadBench -Dbench.seconds=%d -Dbench.workers=%d -Dbench.readers=%d%s`.%n%n",
                LocalDate.now(), Runtime.getRuntime().availableProcessors(), Runtime.version(), workers, readers, seconds,
                loadBefore, loadAfter, TWO_CALLS ? "completions and claims in separate calls"
                        : "each completion claims the worker's next trial (`/complete-and-claim`)", CONCURRENCY, WARMUP,
                seconds, workers, readers, (TWO_CALLS ? " -Dbench.exchange=two" : "")
                        + (CONCURRENCY == 200 ? "" : " -Dbench.concurrency=" + CONCURRENCY)
                        + (WARMUP == 30 ? "" : " -Dbench.warmup=" + WARMUP)));
        md.append(String.format(Locale.ROOT, "Trials completed through the protocol: %d in %.1f s (%.1f trials/s); "
                + "study %d ended with %d complete trials and a front of %d, equal to a recomputation.%n%n",
                completed.get(), elapsed, completed.get() / elapsed, study, complete, front));
        List<Integer> queue = waiting.stream().sorted().toList();
        if (!queue.isEmpty()) {
            md.append(String.format(Locale.ROOT, "Trials waiting to be claimed, read every 250 ms (%d reads): median %d, "
                    + "p10 %d, p90 %d; none waiting in %.0f %% of the reads.%n%n", queue.size(),
                    queue.get(queue.size() / 2), queue.get(queue.size() / 10), queue.get(queue.size() * 9 / 10),
                    100.0 * queue.stream().filter(n -> n == 0).count() / queue.size()));
        }
        md.append("| call | requests | per second | p50 ms | p99 ms | max ms |\n|---|---|---|---|---|---|\n");
        for (Map.Entry<String, List<Long>> e : new TreeMap<>(latencies).entrySet()) {
            List<Long> ns = new ArrayList<>(e.getValue());
            Collections.sort(ns);
            md.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %.1f | %.1f | %.1f |%n", e.getKey(), ns.size(),
                    ns.size() / elapsed, pct(ns, 0.50), pct(ns, 0.99), ns.getLast() / 1e6));
        }
        long total = errors.values().stream().mapToLong(AtomicLong::get).sum();
        md.append(String.format(Locale.ROOT, "%nErrors (non-2xx answers or failed calls): %d%s%n", total,
                total == 0 ? "" : " " + errors));
        Path out = Path.of("bench/results/protocol-load.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, md.toString());
        System.out.println(md);
    }

    private static double pct(List<Long> sorted, double q) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.floor(q * sorted.size()))) / 1e6;
    }
}

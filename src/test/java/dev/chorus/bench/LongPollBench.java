package dev.chorus.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
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
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Idle long polls (issue 18, item 4): starts the packaged coordinator as a process of its own
 * ({@link PackagedCoordinator}, with README's JVM options) with no study running, opens {@code bench.claims} (1,000) claims that each long-poll for 60 s, and compares the
 * coordinator's heap after a full GC ({@code jcmd GC.run}, then {@code GC.heap_info}), its live OS
 * threads ({@code /proc/PID/status}) and the CPU it and its PostgreSQL use over {@code bench.idle}
 * seconds, before the claims and while they wait. Then it waits for the answers: every claim should get
 * 204 after its 60 s.
 *
 * <p>Run: {@code bench/run longpoll} (packages first), or {@code ./mvnw -q test -Dtest=LongPollBench
 * [-Dbench.jar=target/quarkus-app/quarkus-run.jar] [-Dbench.label=...] [-Dbench.claims=1000]}; writes
 * bench/results/longpoll.md, or longpoll-LABEL.md with a label (an older build's jar).
 */
class LongPollBench {

    private static final String TOKEN = "longpoll-bench-worker-token-0123456789abcdef";
    private static final int WAIT_SECONDS = 60;

    @Test
    void run() throws Exception {
        Path jar = Path.of(System.getProperty("bench.jar", "target/quarkus-app/quarkus-run.jar")).toAbsolutePath();
        String label = System.getProperty("bench.label", "");
        int claims = Integer.getInteger("bench.claims", 1000);
        int idle = Integer.getInteger("bench.idle", 10);
        try (PackagedCoordinator chorus = PackagedCoordinator.start(jar, PackagedCoordinator.README_OPTIONS,
                Map.of("CHORUS_AUTH_WORKER_TOKEN", TOKEN))) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10)).build();
            URI claim = chorus.root().resolve("api/workers/claim");

            // warm up: the claim path and its classes, a few short long polls
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 20; i++) {
                    int n = i;
                    pool.submit(() -> post(http, claim, "warm-" + n, 1));
                }
            }
            Sample before = sample(chorus, idle);

            Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
            List<Long> answeredAfter = Collections.synchronizedList(new ArrayList<>());
            ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
            long sent = System.nanoTime();
            for (int i = 0; i < claims; i++) {
                int n = i;
                pool.submit(() -> {
                    int status = post(http, claim, "idle-" + n, WAIT_SECONDS);
                    statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                    answeredAfter.add(System.nanoTime() - sent);
                });
            }
            Thread.sleep(Duration.ofSeconds(10)); // every claim has reached the coordinator and waits
            Sample during = sample(chorus, idle);
            pool.shutdown();
            boolean all = pool.awaitTermination(3L * WAIT_SECONDS, TimeUnit.SECONDS);
            write(label, jar, claims, idle, before, during, statuses, answeredAfter, all);
            assertThat(all).as("every claim was answered within %d s", 3 * WAIT_SECONDS).isTrue();
        }
    }

    /** The coordinator's heap after a full GC, its OS threads, and CPU seconds over {@code idle} s. */
    record Sample(long heapKiB, int threads, double cpuSeconds) {
    }

    private static Sample sample(PackagedCoordinator chorus, int idle) throws Exception {
        double cpu0 = cpuSeconds(chorus.handle());
        Thread.sleep(Duration.ofSeconds(idle));
        double cpu = cpuSeconds(chorus.handle()) - cpu0;
        return new Sample(chorus.heapAfterFullGc().usedKiB(), (int) chorus.status("Threads"), cpu);
    }

    private static int post(HttpClient http, URI claim, String worker, int waitSeconds) {
        HttpRequest request = HttpRequest.newBuilder(claim).timeout(Duration.ofSeconds(3L * WAIT_SECONDS))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"worker\": \"" + worker + "\", \"waitSeconds\": " + waitSeconds + "}"))
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -2;
        }
    }




    /** User + system CPU of the process and its descendants (the embedded PostgreSQL), in seconds. */
    private static double cpuSeconds(ProcessHandle process) {
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process);
        long ticks = 0;
        for (ProcessHandle p : all) {
            try {
                String stat = Files.readString(Path.of("/proc/" + p.pid() + "/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
            } catch (IOException e) {
                // a short-lived PostgreSQL backend that ended meanwhile
            }
        }
        return ticks / 100.0; // USER_HZ
    }



    private static void write(String label, Path jar, int claims, int idle, Sample before, Sample during,
                              Map<Integer, AtomicInteger> statuses, List<Long> answeredAfter, boolean all)
            throws IOException {
        List<Long> after = new ArrayList<>(answeredAfter);
        after.sort(null);
        StringBuilder md = new StringBuilder();
        md.append("# Idle long-polling claims").append(label.isEmpty() ? "" : " (" + label + ")").append("\n\n");
        md.append(String.format(Locale.ROOT, "Measured %s on this machine (%d cores, Java %s), loopback, the packaged "
                + "coordinator (%s) with its embedded PostgreSQL and no study running; %d claims with waitSeconds %d; "
                + "command: `bench/run longpoll`%s.%n%n", LocalDate.now(), Runtime.getRuntime().availableProcessors(),
                Runtime.version(), jar.getFileName(), claims, WAIT_SECONDS,
                label.isEmpty() ? "" : " -- -Dbench.label=" + label + " -Dbench.jar=<that commit's quarkus-run.jar>"));
        md.append("| | heap used after full GC | live OS threads | CPU s over ").append(idle)
                .append(" s (coordinator + PostgreSQL) |\n|---|---|---|---|\n");
        md.append(String.format(Locale.ROOT, "| before | %.1f MiB | %d | %.2f |%n", before.heapKiB() / 1024.0,
                before.threads(), before.cpuSeconds()));
        md.append(String.format(Locale.ROOT, "| %d claims waiting | %.1f MiB | %d | %.2f |%n", claims,
                during.heapKiB() / 1024.0, during.threads(), during.cpuSeconds()));
        md.append(String.format(Locale.ROOT, "| growth | %+.1f MiB | %+d | %+.2f |%n%n",
                (during.heapKiB() - before.heapKiB()) / 1024.0, during.threads() - before.threads(),
                during.cpuSeconds() - before.cpuSeconds()));
        md.append(String.format(Locale.ROOT, "Answers: %s (-1: the connection failed)%s; first after %.1f s, "
                + "median %.1f s, last %.1f s.%n", new TreeMap<>(statuses), all ? "" : ", not all within "
                + 3 * WAIT_SECONDS + " s", after.isEmpty() ? 0 : after.getFirst() / 1e9,
                after.isEmpty() ? 0 : after.get(after.size() / 2) / 1e9, after.isEmpty() ? 0 : after.getLast() / 1e9));
        Path out = Path.of("bench/results/longpoll" + (label.isEmpty() ? "" : "-" + label) + ".md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, md.toString());
        System.out.println(md);
    }
}

package dev.chorus.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.NoBackgroundProfile;
import dev.chorus.TestStudies;
import dev.chorus.study.StudyService;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The dashboard at 100,000 and 1,000,000 trials in one study (issue 6, item 7; issue 18, item 5): every
 * dashboard request's p95 under 200 ms, the study page drawn in headless Chromium in under 500 ms at
 * 100,000 trials and 1 s at 1,000,000, and the report's exports timed at each size. The trials are
 * written straight into the database (3 results per complete trial, a hypervolume point per complete
 * trial, a front of 40); each size's study is deleted afterwards. The table is written before the
 * targets are checked, so a miss is recorded too.
 *
 * <p>Run: {@code ./mvnw -q test -Dtest=DashboardScaleBench [-Dbench.trials=100000,1000000]
 * [-Dbench.calls=20]}; writes bench/results/dashboard-scale.md.
 */
@QuarkusTest
@TestProfile(NoBackgroundProfile.class)
class DashboardScaleBench {

    static final int WARM_UP = 2;
    static final int REPORT_CALLS = 3;

    @TestHTTPResource("/")
    URL root;
    @Inject
    StudyService studies;
    @Inject
    AgroalDataSource db;

    private final List<String> misses = new ArrayList<>();

    @Test
    void run() throws Exception {
        int calls = Integer.getInteger("bench.calls", 20);
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "Measured %s on %d cores; JVM options %s.%n",
                Instant.now().toString().substring(0, 16).replace('T', ' '), Runtime.getRuntime().availableProcessors(),
                String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments())));
        for (String size : System.getProperty("bench.trials", "100000").split(",")) {
            md.append(size(Integer.parseInt(size.strip()), calls));
        }
        Path out = Path.of("bench", "results", "dashboard-scale.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, md.toString());
        System.out.println(md);
        assertThat(misses).as("targets missed").isEmpty();
    }

    private String size(int n, int calls) throws Exception {
        long id = studies.create(TestStudies.tinyYaml(), Path.of(".")).id();
        try {
            Memory before = Memory.now();
            String loadBefore = load();
            long fill = System.nanoTime();
            dev.chorus.BulkTrials.fill(db, id, n);
            double fillSeconds = (System.nanoTime() - fill) / 1e9;
            Map<String, String> requests = new LinkedHashMap<>();
            requests.put("studies list data", "api/dashboard/studies");
            requests.put("study page data (front, hypervolume steps, affinity)", "api/dashboard/studies/" + id);
            requests.put("trials, first page, newest first", "api/studies/" + id + "/trials?size=25&sort=-number");
            requests.put("trials, best Δm first", "api/studies/" + id + "/trials?size=25&sort=-deltaM");
            requests.put("trials, last page by number", "api/studies/" + id + "/trials?size=25&page=" + (n / 25 - 1));
            requests.put("trials, failed, newest finished first",
                    "api/studies/" + id + "/trials?size=25&state=failed&sort=-finished");
            requests.put("trials, complete by models, page 1000", "api/studies/" + id
                    + "/trials?size=25&state=complete&sort=models&page=1000");
            requests.put("hypervolume history (REST, 2,000 points)", "api/studies/" + id + "/hypervolume");
            requests.put("Pareto front (REST)", "api/studies/" + id + "/pareto");
            requests.put("study page HTML", "studies/" + id);
            StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "%n### %,d trials%n%nOne study with %,d "
                    + "trials (90 %% complete, 5 %% pruned, 5 %% failed), 3 results per complete trial, a hypervolume "
                    + "point per complete trial, a front of 40; written in %.1f s. %d calls of each request after %d "
                    + "warm-up calls, over HTTP on localhost. Load average before writing: %s.%n%n"
                    + "| request | median ms | p95 ms | worst ms | bytes |%n|---|---|---|---|---|%n", n, n, fillSeconds,
                    calls, WARM_UP, loadBefore));
            HttpClient http = HttpClient.newHttpClient();
            for (Map.Entry<String, String> call : requests.entrySet()) {
                int bytes = 0;
                for (int i = 0; i < WARM_UP; i++) {
                    bytes = get(http, call.getValue());
                }
                long[] ms = new long[calls];
                for (int i = 0; i < calls; i++) {
                    long t = System.nanoTime();
                    get(http, call.getValue());
                    ms[i] = (System.nanoTime() - t) / 1_000_000;
                }
                md.append(row(call.getKey(), ms, String.format(Locale.ROOT, "%,d", bytes)));
                check(call.getKey() + " at " + n + " trials, p95 ms", p95(ms), 200);
            }
            md.append(browser(id, n, calls));
            md.append(String.format(Locale.ROOT, "%nLoad average after the requests: %s.%n%n| report export | median ms "
                    + "| worst ms | bytes |%n|---|---|---|---|%n", load()));
            for (String format : List.of("html", "pdf", "csv", "json")) {
                String path = "api/studies/" + id + "/report?format=" + format;
                int bytes = get(http, path);
                long[] ms = new long[REPORT_CALLS];
                for (int i = 0; i < REPORT_CALLS; i++) {
                    long t = System.nanoTime();
                    get(http, path);
                    ms[i] = (System.nanoTime() - t) / 1_000_000;
                }
                Arrays.sort(ms);
                md.append(String.format(Locale.ROOT, "| %s | %d | %d | %,d |%n", format, ms[REPORT_CALLS / 2],
                        ms[REPORT_CALLS - 1], bytes));
            }
            Memory served = Memory.now();
            md.append(String.format(Locale.ROOT, "%nMemory of the Chorus JVM (this test's: Quarkus, the REST layer, the "
                    + "connection pool; PostgreSQL is a separate process): heap used after a full GC %.0f MiB before the "
                    + "%,d trials were written and %.0f MiB after they were written and every request above was served "
                    + "(the heap's committed size %.0f MiB); resident set %.0f MiB before, %.0f MiB after, peak %.0f MiB. "
                    + "Load average at the end: %s.%n", before.heapMib(), n, served.heapMib(), served.committedMib(),
                    before.rssMib(), served.rssMib(), served.peakRssMib(), load()));
            check("resident set at " + n + " trials, MiB", Math.round(served.rssMib()), 512);
            return md.toString();
        } finally {
            try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("DELETE FROM study WHERE id = ?")) {
                ps.setLong(1, id);
                ps.executeUpdate();
            }
        }
    }

    /** The JVM's heap after a full collection and its resident set (current and peak) from /proc. */
    record Memory(double heapMib, double committedMib, double rssMib, double peakRssMib) {
        static Memory now() throws Exception {
            System.gc();
            Runtime rt = Runtime.getRuntime();
            double rss = Double.NaN;
            double peak = Double.NaN;
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
                } else if (line.startsWith("VmHWM:")) {
                    peak = Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
                }
            }
            return new Memory((rt.totalMemory() - rt.freeMemory()) / 1048576.0, rt.totalMemory() / 1048576.0, rss, peak);
        }
    }

    /** The study page in Chromium: from navigation until the trials table and the front are drawn. */
    private String browser(long id, int n, int calls) throws Exception {
        long[] ms = new long[calls];
        try (Browser browser = Browser.start(root.toString())) {
            for (int i = -WARM_UP; i < calls; i++) {
                long t = System.nanoTime();
                browser.open("/studies/" + id);
                browser.waitForText("#page-info", String.format(Locale.ROOT, "%d trials", n), 30);
                browser.until(30, d -> browser.chartPoints("chart-pair") == 40, "the front drawn");
                if (i >= 0) {
                    ms[i] = (System.nanoTime() - t) / 1_000_000;
                }
            }
            browser.screenshot("study-" + n);
            browser.assertNoErrors();
        }
        check("study page in the browser at " + n + " trials, median ms", median(ms), n <= 100_000 ? 500 : 1000);
        return row("study page in headless Chromium, until the trials table and the front are drawn", ms, "");
    }

    private static String row(String name, long[] ms, String bytes) {
        long[] sorted = ms.clone();
        Arrays.sort(sorted);
        return String.format(Locale.ROOT, "| %s | %d | %d | %d | %s |%n", name, median(sorted), p95(sorted),
                sorted[sorted.length - 1], bytes);
    }

    private static long median(long[] ms) {
        long[] sorted = ms.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** The nearest-rank 95th percentile. */
    private static long p95(long[] ms) {
        long[] sorted = ms.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.ceil(0.95 * sorted.length) - 1];
    }

    private void check(String what, long value, long limit) {
        if (value >= limit) {
            misses.add(what + ": " + value + " (target under " + limit + ")");
        }
    }

    private static String load() throws Exception {
        String[] avg = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return avg[0] + " / " + avg[1] + " / " + avg[2] + " (1 / 5 / 15 min)";
    }

    private int get(HttpClient http, String path) throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(root + path)).timeout(Duration.ofSeconds(120))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        return r.body().length;
    }
}

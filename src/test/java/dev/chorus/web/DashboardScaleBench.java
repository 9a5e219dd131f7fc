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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The dashboard at 100,000 trials in one study (issue 6, item 7): each page's data endpoints and the
 * study page in headless Chromium must answer in under a second. The trials are written straight
 * into the database (with 3 results per complete trial, a hypervolume point per complete trial and a
 * front of 40); the study is deleted afterwards.
 *
 * <p>Run: {@code ./mvnw -q test -Dtest=DashboardScaleBench [-Dbench.trials=100000]}; writes
 * bench/results/dashboard-scale.md.
 */
@QuarkusTest
@TestProfile(NoBackgroundProfile.class)
class DashboardScaleBench {

    static final int RUNS = 5;

    @TestHTTPResource("/")
    URL root;
    @Inject
    StudyService studies;
    @Inject
    AgroalDataSource db;

    @Test
    void run() throws Exception {
        int n = Integer.getInteger("bench.trials", 100_000);
        long id = studies.create(TestStudies.tinyYaml(), Path.of(".")).id();
        try {
            Memory before = Memory.now();
            long fill = System.nanoTime();
            dev.chorus.BulkTrials.fill(db, id, n);
            double fillSeconds = (System.nanoTime() - fill) / 1e9;
            Map<String, String> calls = new LinkedHashMap<>();
            calls.put("studies list data", "api/dashboard/studies");
            calls.put("study page data (front, hypervolume, affinity)", "api/dashboard/studies/" + id);
            calls.put("trials, first page, newest first", "api/studies/" + id + "/trials?size=25&sort=-number");
            calls.put("trials, best Δm first", "api/studies/" + id + "/trials?size=25&sort=-deltaM");
            calls.put("trials, last page by number", "api/studies/" + id + "/trials?size=25&page=" + (n / 25 - 1));
            calls.put("trials, failed, newest finished first",
                    "api/studies/" + id + "/trials?size=25&state=failed&sort=-finished");
            calls.put("trials, complete by models, page 1000", "api/studies/" + id
                    + "/trials?size=25&state=complete&sort=models&page=1000");
            calls.put("hypervolume history (REST, every point)", "api/studies/" + id + "/hypervolume");
            calls.put("Pareto front (REST)", "api/studies/" + id + "/pareto");
            calls.put("study page HTML", "studies/" + id);
            StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "One study with %,d trials (%s), "
                    + "3 results per complete trial, a hypervolume point per complete trial, a front of 40; written "
                    + "in %.1f s. Median and worst of %d calls after one warm-up, over HTTP on localhost.%n%n"
                    + "| request | median ms | worst ms | bytes |%n|---|---|---|---|%n", n,
                    "90 % complete, 5 % pruned, 5 % failed", fillSeconds, RUNS));
            HttpClient http = HttpClient.newHttpClient();
            for (Map.Entry<String, String> call : calls.entrySet()) {
                long[] ms = new long[RUNS];
                int bytes = get(http, call.getValue());
                for (int i = 0; i < RUNS; i++) {
                    long t = System.nanoTime();
                    get(http, call.getValue());
                    ms[i] = (System.nanoTime() - t) / 1_000_000;
                }
                java.util.Arrays.sort(ms);
                md.append(String.format(Locale.ROOT, "| %s | %d | %d | %,d |%n", call.getKey(), ms[RUNS / 2],
                        ms[RUNS - 1], bytes));
                assertThat(ms[RUNS / 2]).as(call.getKey() + " in ms").isLessThan(1000);
            }
            Memory served = Memory.now();
            md.append(browser(id, n));
            md.append(String.format(Locale.ROOT, "%nMemory of the Chorus JVM (this test's: Quarkus, the REST layer, the "
                    + "connection pool; PostgreSQL is a separate process): heap used after a full GC %.0f MiB before the "
                    + "%,d trials were written and %.0f MiB after they were written and every request above was served "
                    + "(the heap's committed size %.0f MiB); resident set %.0f MiB before, %.0f MiB after, peak %.0f MiB.%n",
                    before.heapMib(), n, served.heapMib(), served.committedMib(), before.rssMib(), served.rssMib(),
                    served.peakRssMib()));
            Path out = Path.of("bench", "results", "dashboard-scale.md");
            Files.createDirectories(out.getParent());
            Files.writeString(out, md.toString());
            System.out.println(md);
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
    private String browser(long id, int n) throws Exception {
        List<Long> ms = new ArrayList<>();
        try (Browser browser = Browser.start(root.toString())) {
            for (int i = 0; i <= RUNS; i++) {
                long t = System.nanoTime();
                browser.open("/studies/" + id);
                browser.waitForText("#page-info", String.format(Locale.ROOT, "%d trials", n), 30);
                browser.until(30, d -> browser.chartPoints("chart-pair") == 40, "the front drawn");
                if (i > 0) {
                    ms.add((System.nanoTime() - t) / 1_000_000);
                }
            }
            browser.screenshot("study-100k");
            browser.assertNoErrors();
        }
        ms.sort(null);
        assertThat(ms.get(RUNS / 2)).as("study page in the browser, ms").isLessThan(1000);
        return String.format(Locale.ROOT, "| study page in headless Chromium, until the trials table and the front "
                + "are drawn | %d | %d | |%n", ms.get(RUNS / 2), ms.getLast());
    }

    private int get(HttpClient http, String path) throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(root + path)).timeout(Duration.ofSeconds(60))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        return r.body().length;
    }

}

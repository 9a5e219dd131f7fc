package dev.chorus.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The dashboard's and the REST API's read requests that the scale benchmarks time on a study of many
 * trials, the report's exports, and a client that times them over HTTP. Shared by the benchmark that runs
 * Chorus inside its test JVM ({@code DashboardScaleBench}) and the one that runs the packaged coordinator
 * as a process of its own ({@code bench.CoordinatorMemoryBench}), so both time the same requests.
 *
 * @implNote Not thread-safe: one benchmark thread sends the requests, one after the other.
 */
public final class DashboardRequests {

    /** Untimed calls of each request before the timed ones. */
    public static final int WARM_UP = 2;
    /** The report's formats, each exported {@value #EXPORT_CALLS} times in a row by {@link #exports}. */
    public static final List<String> EXPORTS = List.of("html", "pdf", "csv", "json");
    static final int EXPORT_CALLS = 2;

    private final URI root;
    private final HttpClient http = HttpClient.newHttpClient();

    /** A client of the Chorus whose public port answers at {@code root} (ending in {@code /}). */
    public DashboardRequests(URI root) {
        this.root = root;
    }

    /**
     * The requests to time, by name (in the order they are timed) to their path under the root: the studies
     * list, the study page's data and HTML, trial pages sorted, filtered and by keyset, the hypervolume
     * history and the front.
     *
     * @param id the study of {@code n} finished trials numbered from 0 (as {@code BulkTrials.fill} writes them)
     * @param studies how many studies the database holds, for the studies list's name
     */
    public static Map<String, String> of(long id, int n, long studies) {
        Map<String, String> requests = new LinkedHashMap<>();
        requests.put(String.format(Locale.ROOT, "studies list data, first page (%d of %d studies)",
                Math.min(DashboardResource.STUDIES, studies), studies), "api/dashboard/studies");
        requests.put("study page data (front, hypervolume steps, affinity)", "api/dashboard/studies/" + id);
        requests.put("trials, first page, newest first", "api/studies/" + id + "/trials?size=25&sort=-number");
        requests.put("trials, best Δm first", "api/studies/" + id + "/trials?size=25&sort=-deltaM");
        requests.put("trials, last page by number", "api/studies/" + id + "/trials?size=25&page=" + (n / 25 - 1));
        requests.put("trials, failed, newest finished first",
                "api/studies/" + id + "/trials?size=25&state=failed&sort=-finished");
        requests.put("trials, complete by models, page 1000", "api/studies/" + id
                + "/trials?size=25&state=complete&sort=models&page=1000");
        requests.put("trials, by keyset: the 25 after the middle trial, best Δm first", "api/studies/" + id
                + "/trials?size=25&sort=-deltaM&after=" + (n / 2 + 2));
        requests.put("trials, by keyset: the 25 after trial 50, newest first (near the last page)", "api/studies/"
                + id + "/trials?size=25&sort=-number&after=50");
        requests.put("hypervolume history (REST, 2,000 points)", "api/studies/" + id + "/hypervolume");
        requests.put("Pareto front (REST)", "api/studies/" + id + "/pareto");
        requests.put("study page HTML", "studies/" + id);
        return requests;
    }

    /** Each call's milliseconds, in the order made, and the bytes of the last answer. */
    public record Timed(long[] ms, int bytes) {

        /** The head of a table of {@link #row}s. */
        public static final String HEADER = "| request | median ms | p95 ms | worst ms | bytes |\n|---|---|---|---|---|\n";

        /** A Markdown row: {@code name}, median, p95 and worst ms, and the bytes (blank when 0). */
        public String row(String name) {
            return String.format(Locale.ROOT, "| %s | %d | %d | %d | %s |%n", name, median(), p95(), worst(),
                    bytes == 0 ? "" : String.format(Locale.ROOT, "%,d", bytes));
        }

        public long median() {
            return sorted()[ms.length / 2];
        }

        /** The nearest-rank 95th percentile. */
        public long p95() {
            return sorted()[(int) Math.ceil(0.95 * ms.length) - 1];
        }

        public long worst() {
            return sorted()[ms.length - 1];
        }

        private long[] sorted() {
            long[] sorted = ms.clone();
            Arrays.sort(sorted);
            return sorted;
        }
    }

    /** {@value #WARM_UP} untimed GETs of {@code path}, then {@code calls} timed ones. */
    public Timed time(String path, int calls) throws Exception {
        for (int i = 0; i < WARM_UP; i++) {
            get(path);
        }
        return timeCold(path, calls);
    }

    /**
     * The report's {@link #EXPORTS}, each exported {@value #EXPORT_CALLS} times in a row, as the rows of a
     * Markdown table {@code | report export | first call ms | second call ms | bytes |} (its header
     * included); an export that fails gets a row that says why, and the others still run.
     */
    public String exports(long id) throws Exception {
        StringBuilder md = new StringBuilder("| report export | first call ms | second call ms | bytes |\n|---|---|---|---|\n");
        for (String format : EXPORTS) {
            try {
                Timed t = timeCold("api/studies/" + id + "/report?format=" + format, EXPORT_CALLS);
                md.append(String.format(Locale.ROOT, "| %s | %d | %d | %,d |%n", format, t.ms()[0], t.ms()[1],
                        t.bytes()));
            } catch (Exception | AssertionError e) {
                md.append(String.format(Locale.ROOT, "| %s | failed: %s | | |%n", format, e.getMessage()
                        .replace('\n', ' ').replace('|', '/')));
            }
        }
        return md.toString();
    }

    private Timed timeCold(String path, int calls) throws Exception {
        long[] ms = new long[calls];
        int bytes = 0;
        for (int i = 0; i < calls; i++) {
            long t = System.nanoTime();
            bytes = get(path);
            ms[i] = (System.nanoTime() - t) / 1_000_000;
        }
        return new Timed(ms, bytes);
    }

    /** GETs {@code path} under the root, checks that the answer is 200 and returns its body's length. */
    public int get(String path) throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(root.resolve(path)).timeout(Duration.ofSeconds(120))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        return r.body().length;
    }
}

package dev.chorus.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.TestStudies;
import dev.chorus.trial.TrialStore;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;

/**
 * The dashboard in headless Chromium against a real Chorus that trains in-process: what a person sees
 * on each page and what each action does. Any JavaScript error fails the test; screenshots go to
 * {@code target/screenshots/}.
 */
@QuarkusTest
class DashboardBrowserTest {

    private static Browser browser;

    @TestHTTPResource("/")
    URL root;
    @Inject
    TrialStore trials;
    @Inject
    io.agroal.api.AgroalDataSource db;

    @BeforeEach
    void browser() throws Exception {
        if (browser == null) {
            browser = Browser.start(root.toString());
        }
    }

    @AfterEach
    void noErrorsLeft() {
        if (browser != null) { // null when the browser could not start and the test was skipped
            browser.assertNoErrors();
        }
    }

    @AfterAll
    static void closeBrowser() throws Exception {
        if (browser != null) {
            browser.close();
            browser = null;
        }
    }

    /** Puts text in a field the way pasting does. */
    private void paste(String css, String text) {
        browser.script("const f = document.querySelector(arguments[0]); f.value = arguments[1];"
                + "f.dispatchEvent(new Event('input', {bubbles: true}));", css, text);
    }

    /** The text of the study page's hypervolume card. */
    private String hypervolumeCard() {
        return (String) browser.script("return [...document.querySelectorAll('#summary .card')]"
                + ".find(c => c.querySelector('.label').textContent.startsWith('Hypervolume'))"
                + ".querySelector('.value').textContent;");
    }

    /**
     * Shows the tooltip of cell {@code index} of series {@code series} (0: the n.s. cells, 1: the others) of the
     * per-task Δ heatmap and returns it once it holds {@code text}.
     */
    private String deltasTooltip(int series, int index, String text) {
        browser.script("echarts.getInstanceByDom(document.getElementById('chart-deltas'))"
                + ".dispatchAction({type: 'showTip', seriesIndex: arguments[0], dataIndex: arguments[1]});", series, index);
        return browser.until(10, d -> {
            Object tip = browser.script("const t = [...document.querySelectorAll('#chart-deltas div')]"
                    + ".find(e => e.textContent.includes('validation Δ'));"
                    + "return t ? t.textContent : null;");
            return tip != null && tip.toString().contains(text) ? tip.toString() : null;
        }, "the tooltip of cell " + index + " with '" + text + "'");
    }

    private long studyIdFromUrl() {
        String url = browser.until(20, d -> d.getCurrentUrl().matches(".*/studies/\\d+$") ? d.getCurrentUrl() : null,
                "the study page to open");
        return Long.parseLong(url.substring(url.lastIndexOf('/') + 1));
    }

    @Test
    void aFinishedStudysReportOpensOfflineReadyAndJobsAreListed() throws Exception {
        long id = TestStudies.post(TestStudies.tinyYaml().replace("  stability: false", "  stability: true"), true)
                .then().statusCode(201).extract().jsonPath().getLong("id");
        TestStudies.awaitFinished(id, java.time.Duration.ofMinutes(3));
        // a schedule that cannot fire while tests run: 03:00 on 1 January
        io.restassured.RestAssured.given().contentType(io.restassured.http.ContentType.JSON)
                .body(java.util.Map.of("name", "browser nightly", "spec", TestStudies.tinyYaml(), "cron", "0 3 1 1 *",
                        "stopBy", "06:00", "webhook", "http://localhost:9/hook"))
                .post("/api/jobs").then().statusCode(201);

        browser.open("/");
        browser.waitForText("#jobs-table", "browser nightly", 20);
        assertThat(browser.text("#jobs-table")).contains("0 3 1 1 * (UTC)", "by 06:00", "not run yet");
        browser.screenshot("jobs");

        browser.open("/studies/" + id);
        browser.waitForText("#trials-done", "8 of 8", 20);
        browser.waitForText("#references-body", "a1", 20);
        assertThat(browser.text("#references")).contains("Gain from tuning", "Gain from sharing", "a2", "c1")
                .containsAnyOf("fixed baseline", "(alone)");
        assertThat(browser.text("#references .delta-m")).as("Δm over the tasks: tuning, then sharing")
                .startsWith("Δm").containsAnyOf("every reference is the baseline", "run");
        assertThat(browser.text("#summary")).contains("gain from sharing", "Gain from tuning");
        // one run per configuration in tiny.yaml: the variants ran once each, so nothing is established
        assertThat(browser.text("#stability")).contains("Stability of the recommendation", "instead of",
                "Not established: each variant", "1 of 1");
        for (String format : List.of("html", "pdf", "csv", "json")) {
            assertThat(browser.find("#export-" + format).getAttribute("href"))
                    .endsWith("/api/studies/" + id + "/report?format=" + format);
        }
        browser.driver().get(browser.find("#export-html").getAttribute("href"));
        browser.waitForText("h1", "Chorus report: tiny", 20);
        assertThat(browser.text("body")).contains("Recommended configuration", "Fewest models", "Stability",
                "Single-task baselines",
                "Pareto front", "Negative transfer", "Hypervolume", "Reproduce");
        assertThat((Long) browser.script("return document.querySelectorAll('svg circle').length;"))
                .as("the front and the hypervolume drawn inline").isPositive();
        browser.screenshot("report-html");
    }

    @Test
    void aStudyCreatedFromAFileIsFollowedLiveToItsParetoFront() {
        browser.open("/new");
        String wrong = TestStudies.tinyYaml().replace("type: regression", "type: regresion");
        paste("#yaml", wrong);
        browser.click("#submit");
        String problem = browser.waitForText(".line.flagged[data-line='15'] .problem", "regresion", 10);
        assertThat(problem).contains("tasks[1].type");
        assertThat(browser.text("#problems-title")).contains("not valid").contains("fix the lines marked");
        assertThat(browser.text(".line[data-line='15'] .code")).contains("type: regresion");
        browser.screenshot("new-study-problems");
        browser.assertNoErrors("/api/studies?start=true");

        String yaml = TestStudies.tinyYaml().replace("  population: 4\n",
                "  population: 4\n  warm-start: affinity\n  affinity-epochs: 2\n");
        paste("#yaml", yaml);
        browser.click("#submit");
        long id = studyIdFromUrl();
        browser.script("window.chorusNotReloaded = true;");
        browser.waitForText("#title", "tiny", 10);
        browser.waitForText("#trials-done", "8 of 8", 240);
        browser.waitForText("#state", "completed", 30);
        browser.waitForText("#live", "no more updates", 10);
        assertThat(browser.script("return window.chorusNotReloaded === true;"))
                .as("the page followed the study without reloading").isEqualTo(true);

        browser.until(10, d -> browser.chartPoints("chart-pair") > 0, "the Pareto scatter");
        long members = browser.chartPoints("chart-pair");
        // charts out of view are drawn after the page, one per idle moment: wait for each
        browser.until(10, d -> browser.chartPoints("chart-parallel") == members, "the parallel coordinates");
        browser.until(10, d -> ((Number) browser.script("const c = echarts.getInstanceByDom("
                + "document.getElementById('chart-deltas'));"
                + "return c ? c.getOption().series.reduce((n, s) => n + s.data.length, 0) : -1;")).longValue()
                == members * 3, "one cell per member and task in the deltas' chart, n.s. cells first");
        assertThat(browser.text("#deltas-legend")).contains("95 % interval", "n.s.", "not significant");
        // tiny.yaml runs each configuration once: no cell has an interval, so every one is marked n.s. (and
        // hatched: the first series, drawn with the hatching)
        assertThat(browser.script("const [s, t] = echarts.getInstanceByDom(document.getElementById('chart-deltas'))"
                + ".getOption().series;"
                + "return t.data.length === 0 && Boolean(s.itemStyle.decal && s.itemStyle.decal.dashArrayY)"
                + " && s.data.every(d => d.ns && s.label.formatter({value: d.value, data: d}).endsWith(' n.s.'));"))
                .isEqualTo(true);
        assertThat(deltasTooltip(0, 0, "1 run: no interval")).contains("validation Δ", "n.s.: a single run gives no interval");
        browser.until(10, d -> browser.chartPoints("chart-affinity") == 9, "the affinity of 3 x 3 tasks");
        browser.until(10, d -> browser.chartPoints("chart-hv") > 0, "the hypervolume chart");
        assertThat(browser.script("const o = echarts.getInstanceByDom(document.getElementById('chart-hv')).getOption();"
                + "return [o.yAxis[0].min, o.yAxis[0].max];")).as("the share of the reference box, in %")
                .isEqualTo(List.of(0L, 100L));
        assertThat(browser.script("return echarts.getInstanceByDom(document.getElementById('chart-hv')).getOption()"
                + ".series[0].data.every(p => p[1] >= 0 && p[1] <= 100);")).isEqualTo(true);
        assertThat(hypervolumeCard()).as("the share and that it is exact, or its bound")
                .matches("\\d{1,3}\\.\\d % \\((exact|± \\d+\\.\\d\\d %)\\)");
        browser.select("#pair-y", "c1");
        assertThat(browser.script("return echarts.getInstanceByDom(document.getElementById('chart-pair'))"
                + ".getOption().yAxis[0].name;")).isEqualTo("c1 accuracy (higher is better)");
        assertThat(browser.script("return echarts.getInstanceByDom(document.getElementById('chart-pair'))"
                + ".getOption().series[0].markLine.data.length;")).as("both baselines drawn").isEqualTo(2L);

        browser.waitForText("#page-info", "8 trials", 10);
        browser.click("th[data-sort='deltaM']");
        browser.until(10, d -> "descending".equals(browser.find("th[data-sort='deltaM']").getAttribute("aria-sort")),
                "the table sorted by Δm");
        List<Double> deltas = browser.until(10, d -> browser.all("#trials tbody tr td:nth-child(7)").stream()
                .map(WebElement::getText).filter(t -> !t.equals("—"))
                .map(t -> Double.parseDouble(t.replace(" %", "").replace("+", ""))).toList(), "the Δm column");
        assertThat(deltas).isNotEmpty().isSortedAccordingTo(java.util.Comparator.reverseOrder());
        browser.select("#filter-state", "complete");
        browser.waitForText("#page-info", "complete", 10);
        browser.screenshot("study-completed");
        // the same heatmap over a member measured 3 times: a cell whose interval excludes 0 is significant
        browser.script("StudyCharts.deltas({members: [{number: 1, models: 2, results: [], taskDeltas: {"
                + "a1: {validation: {mean: 4, low: 1, high: 7, runs: 3}},"
                + "a2: {validation: {mean: -2, low: -5, high: 1, runs: 3}}}}]}, [{name: 'a1'}, {name: 'a2'}]);");
        assertThat(browser.script("return echarts.getInstanceByDom(document.getElementById('chart-deltas')).getOption()"
                + ".series.map(s => s.data.map(d => d.ns));")).isEqualTo(List.of(List.of(true), List.of(false)));
        browser.screenshot("deltas-intervals");
        assertThat(deltasTooltip(1, 0, "+4.00 %")).contains("+4.00 % [+1.00 %, +7.00 %] over 3 runs")
                .doesNotContain("n.s.");
        assertThat(deltasTooltip(0, 0, "-2.00 %")).contains("-2.00 % [-5.00 %, +1.00 %] over 3 runs",
                "n.s.: the interval includes 0");

        browser.click("#trials tbody tr td a");
        browser.waitForText("#title", "of study tiny", 10);
        assertThat(browser.all("#groups .group")).isNotEmpty();
        assertThat(String.join(" ", browser.all("#groups .chip").stream().map(WebElement::getText).toList()))
                .contains("a1").contains("a2").contains("c1");
        assertThat(browser.all("#results tbody tr")).hasSize(3);
        assertThat(browser.text("#settings")).contains("weighting").contains("learning rate");
        browser.until(10, d -> browser.chartPoints("chart-curves") > 0, "the epoch curves");
        assertThat(browser.find("#error").isDisplayed()).isFalse();
        browser.screenshot("trial");

        browser.open("/");
        String row = browser.waitForText("tr[data-study='" + id + "']", "completed", 10);
        assertThat(row).contains("8 of 8 trials").contains("tiny");
        assertThat(browser.text("tr[data-study='" + id + "'] td.hv")).as("the hypervolume share")
                .matches("\\d{1,3}\\.\\d % \\((exact|± \\d+\\.\\d\\d %)\\)");
        browser.screenshot("studies");
    }

    @Test
    void aPersonSteersAStudyAndSubmitsCandidates() {
        long id = TestStudies.post(TestStudies.tinyYaml().replace("max-trials: 8", "max-trials: 400"), false)
                .then().statusCode(201).extract().jsonPath().getLong("id");
        browser.open("/studies/" + id);
        browser.waitForText("#state", "created", 10);
        browser.waitForText("#affinity-missing", "does not set search.warm-start", 10);
        assertThat(browser.text("#front-empty")).contains("No complete trial yet");
        assertThat(hypervolumeCard()).as("no hypervolume yet").isEqualTo("—");

        paste("#cand-groups", "a1 a2 | c1");
        browser.select("#cand-weighting", "equal");
        browser.click("#candidate button");
        browser.waitForText("#cand-result", "Added trial 0", 10);
        browser.waitForText("#page-info", "1 trial", 10);
        browser.click("#candidate button");
        browser.waitForText("#cand-result", "already has this candidate", 10);
        paste("#cand-groups", "a1 | zz");
        browser.click("#candidate button");
        browser.waitForText("#cand-result", "zz", 10);
        browser.screenshot("candidate-refused");
        browser.assertNoErrors("/api/studies/" + id + "/trials");

        browser.click("#action-start");
        browser.waitForText("#state", "running", 10);
        browser.click("#action-pause");
        browser.waitForText("#state", "paused", 10);
        assertThat(browser.text("#action-start")).isEqualTo("Resume");
        browser.click("#action-start");
        browser.waitForText("#state", "running", 10);
        browser.click("#action-cancel");
        browser.driver().switchTo().alert().accept();
        browser.waitForText("#state", "cancelled", 10);
        browser.until(10, d -> browser.all("#actions button").isEmpty(), "the actions to go");
        browser.screenshot("study-cancelled");
    }

    @Test
    void aFailedTrialShowsItsErrorAndTheTableFiltersIt() {
        long id = TestStudies.post(TestStudies.tinyYaml(), false).then().statusCode(201).extract().jsonPath()
                .getLong("id");
        long trialId = io.restassured.RestAssured.given().contentType("application/json")
                .body("{\"groups\": [[\"a1\"], [\"a2\", \"c1\"]]}").post("/api/studies/{id}/trials", id)
                .then().statusCode(201).extract().jsonPath().getLong("id");
        trials.fail(trialId, "out of memory in model 2: lower search.trunk-width", Instant.now());

        browser.open("/trials/" + trialId);
        browser.waitForText("#error", "out of memory in model 2", 10);
        assertThat(browser.text("#state")).isEqualTo("failed");
        assertThat(browser.text("#results-empty")).contains("has not completed");
        assertThat(browser.all("#groups .group")).hasSize(2);
        browser.screenshot("trial-failed");

        browser.open("/studies/" + id);
        browser.waitForText("#page-info", "1 trial", 10);
        browser.select("#filter-state", "waiting");
        browser.waitForText("#trials tbody", "No waiting trials", 10);
        browser.select("#filter-state", "failed");
        browser.waitForText("#trials tbody", "out of memory in model 2", 10);
        io.restassured.RestAssured.given().post("/api/studies/{id}/cancel", id).then().statusCode(200);
    }

    /**
     * Issue 16, item 5: a trial stored with NaN and infinite numbers (as a worker once could send) broke the
     * studies list and the study page. It reads as failed with its reason, its numbers show as "—", no
     * page throws, and the JSON holds no NaN.
     */
    @Test
    void numbersThatAreNotFiniteShowAsMissingNotAsAScriptError() throws Exception {
        long id = TestStudies.post(TestStudies.tinyYaml(), false).then().statusCode(201).extract().jsonPath()
                .getLong("id");
        long trialId = io.restassured.RestAssured.given().contentType("application/json")
                .body("{\"groups\": [[\"a1\"], [\"a2\", \"c1\"]]}").post("/api/studies/{id}/trials", id)
                .then().statusCode(201).extract().jsonPath().getLong("id");
        try (var c = db.getConnection(); var s = c.createStatement()) {
            // results before the state, as a completion commits them together: no read sees one without the other
            s.execute("INSERT INTO trial_result (trial_id, task, test_value, test_baseline, test_delta, value, "
                    + "baseline, delta) VALUES (" + trialId + ", 'a1', 1e308, -1e308, '-Infinity', 'NaN', 0.5, 'NaN')");
            s.execute("UPDATE trial SET state = 'complete', delta_m = 'NaN', test_delta_m = 'Infinity', "
                    + "finished_at = now() WHERE id = " + trialId);
        }
        String json = io.restassured.RestAssured.given().get("/api/trials/{id}", trialId).then().statusCode(200)
                .extract().asString();
        assertThat(json).doesNotContain("NaN", "Infinity");

        browser.open("/");
        browser.waitForText("#studies tbody", "tiny", 10);
        browser.open("/studies/" + id);
        browser.waitForText("#page-info", "1 trial", 10);
        browser.waitForText("#trials tbody", "—", 10);
        browser.open("/trials/" + trialId);
        browser.waitForText("#state", "failed", 10);
        assertThat(browser.text("#error")).contains("not a finite number");
        browser.screenshot("trial-not-finite");
        io.restassured.RestAssured.given().post("/api/studies/{id}/cancel", id).then().statusCode(200);
    }
}

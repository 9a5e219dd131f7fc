package dev.chorus.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.openpdf.text.pdf.PdfReader;
import org.openpdf.text.pdf.parser.PdfTextExtractor;

/**
 * Every Δ and Δm the HTML, PDF and CSV reports show comes with its mean, its 95 % interval and the runs
 * it rests on; a single run says it has no interval. Numbers from {@link ReportFixtures}.
 */
class ReportIntervalsTest {

    private final ParetoReport report = ReportFixtures.report("a1", "a2");

    @Test
    void htmlShowsEachDeltaWithItsIntervalAndRuns() {
        String html = ReportHtml.render(report);
        String front = html.substring(html.indexOf("<h2>Pareto front</h2>"), html.indexOf("<h2>Negative transfer</h2>"));
        assertThat(front).as("Δm of the 3-run member, validation and test").contains(
                "+5.00 %<span class=\"ci\">[+0.03, +9.97], 3 runs</span>",
                "+2.50 %<span class=\"ci\">[+0.02, +4.98], 3 runs</span>");
        assertThat(front).as("per-task validation Δ with the value").contains(
                "0.5200, +4.00 %<span class=\"ci\">[-0.97, +8.97], 3 runs</span>",
                "+6.00 %<span class=\"ci\">[+1.03, +10.97], 3 runs</span>");
        assertThat(front).as("the 1-run member").contains(
                "-1.00 %<span class=\"ci\">1 run: no interval</span>",
                "-0.50 %<span class=\"ci\">1 run: no interval</span>",
                "+1.00 %<span class=\"ci\">1 run: no interval</span>");
        String recommended = html.substring(html.indexOf("<h2>Recommended configuration</h2>"), html.indexOf(
                "<h2>Single-task baselines</h2>"));
        assertThat(recommended).as("the recommended member's per-task held-out test Δ").contains(
                "Per task, trial 4", "<td>a1</td><td>+2.00 %<span class=\"ci\">[-0.48, +4.48], 3 runs</span>",
                "<td>a2</td><td>+3.00 %<span class=\"ci\">[+0.52, +5.48], 3 runs</span>");
    }

    @Test
    void theGainFromTuningAndTheGainFromSharingAreShownApart() {
        String html = ReportHtml.render(report);
        String recommended = html.substring(html.indexOf("<h2>Recommended configuration</h2>"), html.indexOf(
                "<h2>Single-task baselines</h2>"));
        // no task was tried alone: the fixed baselines are the references, so sharing equals the plain deltas
        assertThat(recommended).contains("Gain from tuning and gain from sharing",
                "<td>a1</td><td>fixed baseline (no configuration training it alone beat it on validation)</td>"
                        + "<td>0 (is the baseline)</td><td>+2.00 %<span class=\"ci\">[-0.48, +4.48], 3 runs</span>",
                "<td><b>Δm</b></td><td></td><td>0 (every reference is the baseline)</td><td>+2.50 %<span "
                        + "class=\"ci\">[+0.02, +4.98], 3 runs</span>");
        List<Map<String, String>> rows = parse(ReportCsv.render(report));
        assertThat(rows.getFirst()).containsEntry("sharing_runs", "3");
        assertThat(Double.parseDouble(rows.getFirst().get("sharing_test_delta_m_percent"))).isCloseTo(2.5, within(1e-9));
        assertThat(Double.parseDouble(rows.getFirst().get("a2_sharing_test_delta_percent"))).isCloseTo(3.0, within(1e-9));
        assertThat(rows.get(1)).containsEntry("sharing_test_delta_m_low", "");
    }

    @Test
    void theReferencesGainFromTuningIsShownWithItsInterval() throws Exception {
        ParetoReport tuned = ReportFixtures.report("a1", "a2", new dev.chorus.trial.References.Tuning(3,
                dev.chorus.trial.Interval.of(6, 7, 8), dev.chorus.trial.Interval.of(4, 5, 6)));
        assertThat(ReportHtml.render(tuned)).contains("<td><b>Δm</b></td><td></td><td>+5.00 %<span class=\"ci\">"
                + "[+2.52, +7.48], 3 runs</span></td>");
        PdfReader reader = new PdfReader(ReportPdf.render(tuned));
        StringBuilder text = new StringBuilder();
        for (int page = 1; page <= reader.getNumberOfPages(); page++) {
            text.append(new PdfTextExtractor(reader).getTextFromPage(page)).append('\n');
        }
        assertThat(text.toString().replaceAll("\\s+", " ")).containsPattern(
                "Delta m ?\\+5\\.00 % \\[\\+2\\.52, \\+7\\.48\\], 3 runs");
    }

    @Test
    void theHtmlScatterDrawsAnErrorBarPerMemberWithAnInterval() {
        String html = ReportHtml.render(report);
        String scatter = html.substring(html.indexOf("<svg"), html.indexOf("</svg>"));
        assertThat(count(scatter, "class=\"error-bar\"")).as("the 1-run member has none").isEqualTo(1);
        assertThat(scatter).contains("<title>trial 4: validation Δm +5.00 % [+0.03, +9.97], 3 runs</title>",
                "<title>trial 9: validation Δm -1.00 %, 1 run: no interval</title>");
        // the y axis reaches the bar's top, 9.97 (labelled with two decimals), not just the mean, 5
        assertThat(scatter).contains(">9.97</text>");
    }

    @Test
    void pdfTextCarriesEachIntervalAndTheNoIntervalOfOneRun() throws Exception {
        byte[] pdf = ReportPdf.render(report);
        PdfReader reader = new PdfReader(pdf);
        StringBuilder text = new StringBuilder();
        PdfTextExtractor extractor = new PdfTextExtractor(reader);
        for (int page = 1; page <= reader.getNumberOfPages(); page++) {
            text.append(extractor.getTextFromPage(page)).append('\n');
        }
        String words = text.toString().replaceAll("\\s+", " ");
        assertThat(words).contains("+5.00 % [+0.03, +9.97], 3 runs", "+2.50 % [+0.02, +4.98], 3 runs",
                "0.5200, +4.00 % [-0.97, +8.97], 3 runs", "-1.00 % 1 run: no interval",
                "Per task, trial 4", "a1 +2.00 % [-0.48, +4.48], 3 runs");
    }

    @Test
    void csvKeepsItsColumnsAndAddsEachIntervalThatParsesBack() {
        List<Map<String, String>> rows = parse(ReportCsv.render(report));
        assertThat(rows).hasSize(2);
        Map<String, String> three = rows.getFirst();
        assertThat(new ArrayList<>(three.keySet()).subList(0, 11)).as("the older columns keep their place")
                .containsExactly("trial_id", "trial_number", "models", "groups", "weighting",
                        "validation_delta_m_percent", "test_delta_m_percent", "runs", "test_delta_m_low",
                        "test_delta_m_high", "recommended");
        assertThat(new ArrayList<>(three.keySet()).subList(23, 33)).containsExactly("validation_delta_m_low",
                "validation_delta_m_high", "a1_validation_delta_low", "a1_validation_delta_high", "a1_test_delta_low",
                "a1_test_delta_high", "a2_validation_delta_low", "a2_validation_delta_high", "a2_test_delta_low",
                "a2_test_delta_high");
        assertThat(three.get("runs")).isEqualTo("3");
        ParetoFront.Member m = report.front().getFirst();
        assertThat(number(three, "validation_delta_m_percent")).isCloseTo(m.deltaMInterval().mean(), within(1e-4));
        assertThat(number(three, "validation_delta_m_low")).isCloseTo(m.deltaMInterval().low(), within(1e-4));
        assertThat(number(three, "validation_delta_m_high")).isCloseTo(m.deltaMInterval().high(), within(1e-4));
        assertThat(number(three, "test_delta_m_low")).isCloseTo(m.testDeltaMInterval().low(), within(1e-4));
        assertThat(number(three, "a1_validation_delta_percent")).isCloseTo(4.0, within(1e-9));
        assertThat(number(three, "a1_validation_delta_low")).isCloseTo(4 - 4.968275, within(1e-5));
        assertThat(number(three, "a1_validation_delta_high")).isCloseTo(4 + 4.968275, within(1e-5));
        assertThat(number(three, "a2_test_delta_percent")).isCloseTo(3.0, within(1e-9));
        assertThat(number(three, "a2_test_delta_low")).isCloseTo(3 - 2.484138, within(1e-5));
        assertThat(number(three, "a2_test_delta_high")).isCloseTo(3 + 2.484138, within(1e-5));
        Map<String, String> one = rows.get(1);
        assertThat(one.get("runs")).isEqualTo("1");
        assertThat(number(one, "validation_delta_m_percent")).isEqualTo(-1.0);
        assertThat(number(one, "a2_validation_delta_percent")).isEqualTo(-3.0);
        assertThat(List.of("validation_delta_m_low", "validation_delta_m_high", "test_delta_m_low", "test_delta_m_high",
                "a1_validation_delta_low", "a2_test_delta_high")).as("no interval from one run")
                .allSatisfy(c -> assertThat(one.get(c)).isEmpty());
    }

    @Test
    void csvTextFromPeopleCannotRunAsASpreadsheetFormula() {
        String csv = ReportCsv.render(ReportFixtures.report("=HYPERLINK(\"http://x\",\"y\")", "@sum"));
        List<Map<String, String>> rows = parse(csv);
        assertThat(rows.getFirst()).containsKeys("'=HYPERLINK(\"http://x\",\"y\")_validation", "'@sum_test_delta_low");
        assertThat(rows.getFirst().get("groups")).isEqualTo("'=HYPERLINK(\"http://x\",\"y\") @sum");
        assertThat(rows.get(1).get("validation_delta_m_percent")).as("numbers stay numbers").isEqualTo("-1.00000");
        for (String cell : List.of("-x", "+x", "@x", "=x", "\tx", "\rx")) {
            assertThat(ReportCsv.text(cell)).isEqualTo("'" + cell);
        }
        assertThat(ReportCsv.text("a1 | -x")).as("only the first character starts a formula").isEqualTo("a1 | -x");
    }

    private static double number(Map<String, String> row, String column) {
        assertThat(row).containsKey(column);
        return Double.parseDouble(row.get(column));
    }

    private static int count(String text, String part) {
        return text.split(Pattern.quote(part), -1).length - 1;
    }

    /** RFC 4180 rows as maps from the header's names to the cells. */
    private static List<Map<String, String>> parse(String csv) {
        List<List<String>> lines = new ArrayList<>();
        Matcher cell = Pattern.compile("\"((?:[^\"]|\"\")*)\"|([^,\"\\r\\n]*)").matcher(csv);
        List<String> line = new ArrayList<>();
        int at = 0;
        while (at < csv.length()) {
            cell.find(at);
            line.add(cell.group(1) != null ? cell.group(1).replace("\"\"", "\"") : cell.group(2));
            at = cell.end();
            if (csv.startsWith("\r\n", at)) {
                lines.add(line);
                line = new ArrayList<>();
                at += 2;
            } else {
                assertThat(csv.charAt(at)).as("cells are separated by commas").isEqualTo(',');
                at++;
            }
        }
        List<String> header = lines.getFirst();
        List<Map<String, String>> rows = new ArrayList<>();
        for (List<String> values : lines.subList(1, lines.size())) {
            assertThat(values).hasSameSizeAs(header);
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                row.put(header.get(i), values.get(i));
            }
            rows.add(row);
        }
        return rows;
    }
}

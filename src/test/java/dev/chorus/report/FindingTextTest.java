package dev.chorus.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openpdf.text.pdf.PdfReader;
import org.openpdf.text.pdf.parser.PdfTextExtractor;

/**
 * The negative-transfer section in words (the rule, and each finding with its trials, interval and
 * verdict) and in JSON.
 */
class FindingTextTest {

    // The numbers of ReportAnalysisTest's noisy 2-against-4 case and of its clear case (SciPy 1.17.1).
    private static final ParetoReport.Finding NOISY = new ParetoReport.Finding("upsell", "support", -8.4, 3.7, 2, 4,
            12.1, -5.699566556427499, 29.8995665564275, 2.187056344590984, false);
    private static final ParetoReport.Finding CLEAR = new ParetoReport.Finding("churn", "support", -5, 1.75, 8, 8,
            6.75, 5.773734018337375, 7.726265981662625, 13.368231046931408, true);
    private static final ParetoReport.Finding ONE_TRIAL = new ParetoReport.Finding("churn", "upsell", -9, 2, 1, 3,
            11, null, null, null, false);

    @Test
    void eachFindingStatesItsTrialsIntervalAndVerdict() {
        assertThat(FindingText.sentence(NOISY)).isEqualTo("upsell may hurt support: -8.40 % together (2 trials), "
                + "+3.70 % apart (4 trials); difference 12.10 points, 95 % interval [-5.70, 29.90] "
                + "(Welch, 2.2 degrees of freedom): not significant");
        assertThat(FindingText.sentence(CLEAR)).isEqualTo("churn hurts support: -5.00 % together (8 trials), "
                + "+1.75 % apart (8 trials); difference 6.75 points, 95 % interval [5.77, 7.73] "
                + "(Welch, 13.4 degrees of freedom): significant, support does worse when it shares a model with churn");
        assertThat(FindingText.sentence(ONE_TRIAL)).isEqualTo("churn may hurt upsell: -9.00 % together (1 trial), "
                + "+2.00 % apart (3 trials); difference 11.00 points; fewer than 2 trials on a side: no interval, "
                + "not significant");
        assertThat(FindingText.RULE).contains("only when the 95 % interval of the difference",
                "excludes zero", "not significant");
    }

    @Test
    void htmlAndPdfSayTheRuleAndEveryFinding() throws Exception {
        ParetoReport r = report(List.of(CLEAR, NOISY, ONE_TRIAL));
        String html = ReportHtml.render(r);
        assertThat(html).contains(SvgCharts.esc(FindingText.RULE), "<b>" + FindingText.sentence(CLEAR) + "</b>",
                FindingText.sentence(NOISY), FindingText.sentence(ONE_TRIAL));
        String pdf = pdfText(ReportPdf.render(r)).replaceAll("\\s+", " ");
        assertThat(pdf).contains("excludes zero", "95 % interval [-5.70, 29.90]", ": not significant",
                ": significant, support does worse when it shares a model with churn", "fewer than 2 trials on a side");
        assertThat(ReportHtml.render(report(List.of()))).contains(FindingText.NONE);
    }

    @Test
    void jsonCarriesTheIntervalAndTheVerdict() throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode noisy = json.valueToTree(NOISY);
        assertThat(noisy.get("difference").asDouble()).isEqualTo(12.1);
        assertThat(noisy.get("low").asDouble()).isEqualTo(-5.699566556427499);
        assertThat(noisy.get("high").asDouble()).isEqualTo(29.8995665564275);
        assertThat(noisy.get("degreesOfFreedom").asDouble()).isEqualTo(2.187056344590984);
        assertThat(noisy.get("significant").asBoolean()).isFalse();
        assertThat(noisy.get("trialsWith").asInt()).isEqualTo(2);
        JsonNode one = json.valueToTree(ONE_TRIAL);
        assertThat(one.get("low").isNull()).as("no interval is null, not NaN").isTrue();
        assertThat(one.get("degreesOfFreedom").isNull()).isTrue();
    }

    private static ParetoReport report(List<ParetoReport.Finding> findings) {
        return new ParetoReport(new ParetoReport.Study(1, "s", "completed", "name: s", List.of("churn", "upsell",
                "support"), 3, 3, 3, "none"), List.of(), List.of(), List.of(), new ParetoReport.Recommendation(null, "none", null,
                "none", "nothing settled", false, false, null), StabilityCheck.without("none", null, "Nothing to check"), findings, new ParetoReport.Affinity(List.of(), null), new HypervolumeHistory(1, List.of(),
                new double[0], null, null, "none", List.of()), new ParetoReport.Reproduction(1, "1", 0, "h", Map.of()), Instant.EPOCH);
    }

    private static String pdfText(byte[] pdf) throws Exception {
        PdfReader reader = new PdfReader(pdf);
        PdfTextExtractor extractor = new PdfTextExtractor(reader);
        StringBuilder text = new StringBuilder();
        for (int page = 1; page <= reader.getNumberOfPages(); page++) {
            text.append(extractor.getTextFromPage(page)).append('\n');
        }
        return text.toString();
    }
}

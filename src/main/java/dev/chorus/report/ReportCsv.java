package dev.chorus.report;

import dev.chorus.trial.TaskResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Pareto front as CSV (RFC 4180), one row per member: trial, models, grouping, weighting, Δm,
 * whether it is recommended, then each task's metric, baseline and delta. The other sections of the
 * report do not fit a table; they are in the JSON, HTML and PDF forms.
 */
public final class ReportCsv {

    private ReportCsv() {
    }

    public static String render(ParetoReport report) {
        List<String> tasks = report.study().tasks();
        StringBuilder out = new StringBuilder();
        List<String> header = new ArrayList<>(List.of("trial_id", "trial_number", "models", "groups", "weighting",
                "validation_delta_m_percent", "test_delta_m_percent", "runs", "test_delta_m_low", "test_delta_m_high",
                "recommended"));
        for (String t : tasks) {
            header.addAll(List.of(t + "_validation", t + "_validation_baseline", t + "_validation_delta_percent",
                    t + "_test", t + "_test_baseline", t + "_test_delta_percent"));
        }
        line(out, header);
        for (ParetoFront.Member m : report.front()) {
            List<String> row = new ArrayList<>();
            row.add(Long.toString(m.trialId()));
            row.add(Integer.toString(m.number()));
            row.add(Integer.toString(m.models()));
            row.add(groups(m.groups()));
            row.add(m.weighting());
            row.add(number(m.deltaM()));
            row.add(m.testDeltaM() == null ? "" : number(m.testDeltaM()));
            row.add(Integer.toString(m.runs()));
            row.add(m.testDeltaMInterval().known() ? number(m.testDeltaMInterval().low()) : "");
            row.add(m.testDeltaMInterval().known() ? number(m.testDeltaMInterval().high()) : "");
            row.add(recommended(report.recommendation(), m));
            Map<String, TaskResult> byTask = ParetoReport.byTask(m);
            for (String t : tasks) {
                TaskResult r = byTask.get(t);
                for (dev.chorus.trial.Score s : r == null ? java.util.Arrays.<dev.chorus.trial.Score>asList(null, null)
                        : List.of(r.validation(), r.test())) {
                    row.add(s == null ? "" : number(s.value()));
                    row.add(s == null ? "" : number(s.baseline()));
                    row.add(s == null ? "" : number(s.delta()));
                }
            }
            line(out, row);
        }
        return out.toString();
    }

    static String recommended(ParetoReport.Recommendation rec, ParetoFront.Member m) {
        List<String> why = new ArrayList<>();
        if (rec.fewestModels() != null && rec.fewestModels().trialId() == m.trialId()) {
            why.add("fewest models");
        }
        if (rec.knee() != null && rec.knee().trialId() == m.trialId()) {
            why.add("knee");
        }
        return String.join(" + ", why);
    }

    static String groups(List<List<String>> groups) {
        return String.join(" | ", groups.stream().map(g -> String.join(" ", g)).toList());
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }

    private static void line(StringBuilder out, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            String c = cells.get(i);
            out.append(c.contains(",") || c.contains("\"") || c.contains("\n") ? "\"" + c.replace("\"", "\"\"") + "\"" : c);
        }
        out.append("\r\n");
    }
}

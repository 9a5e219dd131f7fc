package dev.chorus.report;

import dev.chorus.trial.Interval;
import dev.chorus.trial.References;
import dev.chorus.trial.Runs;
import dev.chorus.trial.Score;
import dev.chorus.trial.TaskResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Pareto front as CSV (RFC 4180), one row per member: trial, models, grouping, weighting, Δm,
 * whether it is recommended, then each task's metric, baseline and delta. The other sections of the
 * report do not fit a table; they are in the JSON, HTML and PDF forms.
 *
 * <p>Every number is the mean over the member's complete runs, and {@code runs} says how many: each Δm
 * and each task's delta rests on those same runs. The 95 % interval of each follows at the end of the
 * row ({@code validation_delta_m_low}, ..., {@code <task>_test_delta_high}), empty for a single run,
 * after the columns older exports had, which keep their place and meaning.
 *
 * <p>Text that people typed (task names, in the header and the groups) is neutralised for spreadsheets:
 * a cell that starts with {@code = + - @}, a tab or a carriage return gets a leading {@code '}, so that
 * no spreadsheet runs it as a formula.
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
        header.addAll(List.of("validation_delta_m_low", "validation_delta_m_high"));
        for (String t : tasks) {
            header.addAll(List.of(t + "_validation_delta_low", t + "_validation_delta_high", t + "_test_delta_low",
                    t + "_test_delta_high"));
        }
        header.addAll(List.of("sharing_runs", "sharing_validation_delta_m_percent", "sharing_test_delta_m_percent",
                "sharing_test_delta_m_low", "sharing_test_delta_m_high"));
        for (String t : tasks) {
            header.addAll(List.of(t + "_sharing_test_delta_percent", t + "_sharing_test_delta_low",
                    t + "_sharing_test_delta_high"));
        }
        line(out, header.stream().map(ReportCsv::text).toList());
        for (ParetoFront.Member m : report.front()) {
            List<String> row = new ArrayList<>();
            row.add(Long.toString(m.trialId()));
            row.add(Integer.toString(m.number()));
            row.add(Integer.toString(m.models()));
            row.add(text(groups(m.groups())));
            row.add(text(m.weighting()));
            row.add(number(m.deltaM()));
            row.add(m.testDeltaM() == null ? "" : number(m.testDeltaM()));
            row.add(Integer.toString(m.runs()));
            bounds(row, m.testDeltaMInterval());
            row.add(recommended(report.recommendation(), m));
            Map<String, TaskResult> byTask = ParetoReport.byTask(m);
            for (String t : tasks) {
                TaskResult r = byTask.get(t);
                for (Score s : r == null ? Arrays.<Score>asList(null, null)
                        : List.of(r.validation(), r.test())) {
                    row.add(s == null ? "" : number(s.value()));
                    row.add(s == null ? "" : number(s.baseline()));
                    row.add(s == null ? "" : number(s.delta()));
                }
            }
            bounds(row, m.deltaMInterval());
            for (String t : tasks) {
                Runs.TaskDeltas d = m.taskDeltas().get(t);
                bounds(row, d == null ? null : d.validation());
                bounds(row, d == null ? null : d.test());
            }
            row.add(Integer.toString(m.sharing().runs()));
            row.add(number(m.sharing().deltaM().mean()));
            row.add(number(m.sharing().testDeltaM().mean()));
            bounds(row, m.sharing().testDeltaM());
            for (String t : tasks) {
                Runs.TaskDeltas d = m.sharing().tasks().get(t);
                row.add(d == null ? "" : number(d.test().mean()));
                bounds(row, d == null ? null : d.test());
            }
            line(out, row);
        }
        return out.toString();
    }

    /** A task's tuned reference in words, for every renderer. */
    static String reference(References.Reference r) {
        return r.fixedBaseline() ? "fixed baseline (no configuration training it alone beat it on validation)"
                : "trial " + r.trialNumber() + ", trained alone (" + r.runs() + (r.runs() == 1 ? " run)" : " runs)");
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

    /** The low and high end of {@code i}'s 95 % interval; empty when there is none (one run, or no delta). */
    private static void bounds(List<String> row, Interval i) {
        boolean known = i != null && i.known();
        row.add(known ? number(i.low()) : "");
        row.add(known ? number(i.high()) : "");
    }

    /**
     * A text cell that no spreadsheet takes for a formula: one starting with {@code = + - @}, a tab or a
     * carriage return gets a leading {@code '} (the OWASP advice for CSV injection).
     */
    static String text(String cell) {
        return cell == null || cell.isEmpty() || "=+-@\t\r".indexOf(cell.charAt(0)) < 0 ? cell : "'" + cell;
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

package dev.chorus.report;

import static dev.chorus.report.SvgCharts.esc;

import dev.chorus.trial.Interval;
import dev.chorus.trial.References;
import dev.chorus.trial.Runs;
import dev.chorus.trial.TaskResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report as one self-contained HTML page: styles and charts inline (SVG), no script and no link to
 * anything outside the file, so it reads offline, mails as an attachment and prints.
 */
public final class ReportHtml {

    private static final String STYLE = """
            body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:60em;color:#222;padding:0 1em}
            h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.2em;margin-top:1.8em;border-bottom:1px solid #ddd}
            table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.25em .5em;text-align:right}
            th:first-child,td:first-child{text-align:left}.muted{color:#666}.rec{background:#fff4e6}
            .ci{display:block;font-size:11px;color:#555;white-space:nowrap}
            pre{background:#f6f6f6;padding:.8em;overflow:auto;font-size:12px}.box{border:2px solid #d9480f;padding:.6em 1em}
            @media print{h2{break-after:avoid}table,svg{break-inside:avoid}}""";

    private ReportHtml() {
    }

    public static String render(ParetoReport r) {
        StringBuilder h = new StringBuilder("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">");
        h.append("<title>Chorus report: ").append(esc(r.study().name())).append("</title><style>").append(STYLE)
                .append("</style></head><body>");
        h.append("<h1>Chorus report: ").append(esc(r.study().name())).append("</h1>");
        h.append(p("muted", String.format(Locale.ROOT, "Study %d, %s: %d of %d trials finished (%d complete). "
                + "Generated %s.", r.study().id(), r.study().state(), r.study().trialsFinished(), r.study().budget(),
                r.study().trialsComplete(), r.generatedAt())));
        recommendation(h, r);
        baselines(h, r);
        front(h, r);
        negativeTransfer(h, r);
        affinity(h, r);
        hypervolume(h, r);
        h.append("<h2>Study definition</h2><pre>").append(esc(r.study().specYaml())).append("</pre>");
        h.append("<h2>Reproduce</h2><table>");
        row(h, "seed", Long.toString(r.reproduction().seed()));
        row(h, "seeds and rows of runs", r.reproduction().trialSeeds());
        row(h, "data content hash", r.reproduction().dataHash());
        r.reproduction().versions().forEach((k, v) -> row(h, k + " version", v));
        return h.append("</table></body></html>").toString();
    }

    private static void recommendation(StringBuilder h, ParetoReport r) {
        ParetoReport.Recommendation rec = r.recommendation();
        h.append("<h2>Recommended configuration</h2><div class=\"box\">");
        h.append(p(null, "<b>Answer:</b> " + esc(rec.verdict())));
        h.append(p(null, "<b>Acceptance policy:</b> " + esc(r.study().acceptancePolicy())));
        h.append(p(null, "<b>Fewest models:</b> " + member(rec.fewestModels()) + "<br><span class=\"muted\">"
                + esc(rec.fewestModelsReason()) + "</span>"));
        h.append(p(null, "<b>Knee of the front:</b> " + member(rec.knee()) + "<br><span class=\"muted\">"
                + esc(rec.kneeReason()) + "</span>"));
        h.append("</div>");
        gains(h, r.references(), rec.tuning(), rec.fewestModels());
        stability(h, r.stability());
        taskDeltas(h, rec.fewestModels(), r.study().tasks());
    }

    /** How the recommendation fares with its loss weights moved and under the neighbouring weightings. */
    private static void stability(StringBuilder h, ParetoReport.Stability s) {
        h.append(p(null, "<b>Stability</b> (the recommendation re-run with its loss weights moved and under the "
                + "neighbouring weighting methods, on its own seeds and rows): " + esc(s.summary())));
        if (s.variants().isEmpty()) {
            return;
        }
        h.append("<table class=\"tasks\"><tr><th>variant</th><th>held-out test Δm vs tuned references</th>"
                + "<th>change vs the recommendation, run for run (points)</th><th>runs</th></tr>");
        for (ParetoReport.Variant v : s.variants()) {
            h.append("<tr><td>").append(esc(v.change())).append("</td><td>")
                    .append(v.testDeltaM() == null ? "–" : interval(v.testDeltaM())).append("</td><td>")
                    .append(v.difference() == null ? "–" : interval(v.difference()) + (v.significant() ? ""
                            : " <span class=\"ci\">n.s.</span>")).append("</td><td>")
                    .append(v.runs()).append(" of ").append(v.planned()).append("</td></tr>");
        }
        h.append("</table>");
    }

    /** Each task's tuned reference with the gain from tuning, and the recommendation's gain from sharing. */
    private static void gains(StringBuilder h, List<References.Reference> references, References.Tuning tuning,
                              ParetoFront.Member m) {
        h.append(p(null, "<b>Gain from tuning and gain from sharing</b> (held-out test; a task's reference is the "
                + "single-task model chosen on validation among the configurations that train it alone, or the fixed "
                + "baseline; sharing is paired by run against the references):"));
        h.append("<table class=\"tasks\"><tr><th>task</th><th>tuned reference</th><th>gain from tuning: reference vs "
                + "fixed baseline</th><th>gain from sharing: recommended vs reference</th></tr>");
        for (References.Reference ref : references) {
            Runs.TaskDeltas share = m == null ? null : m.sharing().tasks().get(ref.task());
            h.append("<tr><td>").append(esc(ref.task())).append("</td><td>").append(esc(ReportCsv.reference(ref)))
                    .append("</td><td>").append(ref.tuning() == null ? "0 (is the baseline)" : interval(ref.tuning().test()))
                    .append("</td><td>").append(share == null ? "–" : interval(share.test())).append("</td></tr>");
        }
        if (!references.isEmpty()) {
            h.append("<tr><td><b>Δm</b></td><td></td><td>").append(tuning == null ? "0 (every reference is the baseline)"
                    : interval(tuning.testDeltaM())).append("</td><td>")
                    .append(m == null ? "–" : interval(m.sharing().testDeltaM())).append("</td></tr>");
        }
        h.append("</table>");
    }

    /** The recommended member's per-task paired deltas over its runs, held-out test first, with intervals. */
    private static void taskDeltas(StringBuilder h, ParetoFront.Member m, List<String> tasks) {
        if (m == null) {
            return;
        }
        h.append(p(null, "<b>Per task, trial " + m.number() + " against the single-task baselines</b> (mean Δ over "
                + "its runs with the 95 % interval; an interval that includes 0 does not establish a gain or a loss):"));
        h.append("<table class=\"tasks\"><tr><th>task</th><th>held-out test Δ [95 % interval]</th>"
                + "<th>validation Δ [95 % interval]</th></tr>");
        for (String t : tasks) {
            Runs.TaskDeltas d = m.taskDeltas().get(t);
            if (d != null) {
                h.append("<tr><td>").append(esc(t)).append("</td><td>").append(interval(d.test())).append("</td><td>")
                        .append(interval(d.validation())).append("</td></tr>");
            }
        }
        h.append("</table>");
    }

    /** A mean, and under it in small type its 95 % interval and the runs it rests on. */
    private static String interval(Interval i) {
        return esc(i.meanPercent()) + "<span class=\"ci\">" + esc(i.spread()) + "</span>";
    }

    private static String member(ParetoFront.Member m) {
        return m == null ? "none" : String.format(Locale.ROOT,
                "trial %d: %s (%s weighting), %d model(s); Δm on validation %s; on held-out test %s",
                m.number(), esc(ReportCsv.groups(m.groups()).replace(" | ", " · ")), esc(m.weighting()), m.models(),
                esc(m.deltaMInterval().percent()), esc(m.testDeltaMInterval().percent()));
    }

    private static void baselines(StringBuilder h, ParetoReport r) {
        h.append("<h2>Single-task baselines</h2><table><tr><th>task</th><th>metric</th><th>validation</th>"
                + "<th>held-out test</th><th>baseline hash</th></tr>");
        for (ParetoReport.Baseline b : r.baselines()) {
            h.append("<tr><td>").append(esc(b.task())).append("</td><td>").append(esc(b.metric())).append(" (")
                    .append(b.direction()).append(")</td><td>").append(num(b.validation())).append("</td><td>")
                    .append(num(b.test())).append("</td><td class=\"muted\">")
                    .append(esc(b.hash().substring(0, Math.min(12, b.hash().length())))).append("</td></tr>");
        }
        h.append("</table>");
    }

    private static void front(StringBuilder h, ParetoReport r) {
        h.append("<h2>Pareto front</h2>");
        h.append(p("muted", "Chosen on the validation split: every value and Δ below is on validation rows, "
                + "except the held-out test Δm, which nothing was chosen by. Each number is the mean over the "
                + "configuration's runs; each Δ and Δm comes with its 95 % interval over them (Student's t; a single "
                + "run has none). An interval that includes 0 does not establish a gain or a loss."));
        List<SvgCharts.Point> points = new ArrayList<>();
        for (ParetoFront.Member m : r.front()) {
            boolean rec = !ReportCsv.recommended(r.recommendation(), m).isEmpty();
            Interval dm = m.deltaMInterval();
            points.add(new SvgCharts.Point(m.models(), dm.mean(), "trial " + m.number() + ": validation Δm "
                    + dm.percent(), rec, dm.low(), dm.high()));
        }
        h.append(SvgCharts.scatter("Pareto front: models against validation Δm (bars: 95 % intervals)", "models",
                "validation Δm (%)", points));
        h.append("<table><tr><th>trial</th><th>groups</th><th>weighting</th><th>models</th><th>runs</th>"
                + "<th>validation Δm [95 % interval]</th><th>test Δm [95 % interval]</th>");
        for (String t : r.study().tasks()) {
            h.append("<th>").append(esc(t)).append("<span class=\"ci\">value, Δ [95 % interval]</span></th>");
        }
        h.append("</tr>");
        for (ParetoFront.Member m : r.front()) {
            String rec = ReportCsv.recommended(r.recommendation(), m);
            h.append(rec.isEmpty() ? "<tr>" : "<tr class=\"rec\" title=\"recommended: " + rec + "\">");
            h.append("<td>").append(m.number()).append(rec.isEmpty() ? "" : " ★").append("</td><td>")
                    .append(esc(ReportCsv.groups(m.groups()))).append("</td><td>").append(esc(m.weighting()))
                    .append("</td><td>").append(m.models()).append("</td><td>").append(m.runs()).append("</td><td>")
                    .append(interval(m.deltaMInterval())).append("</td><td>")
                    .append(interval(m.testDeltaMInterval())).append("</td>");
            Map<String, TaskResult> byTask = ParetoReport.byTask(m);
            for (String t : r.study().tasks()) {
                TaskResult res = byTask.get(t);
                Runs.TaskDeltas d = m.taskDeltas().get(t);
                h.append(res == null || d == null ? "<td></td>" : "<td style=\"background:"
                        + colour(d.validation().mean()) + "\">" + num(res.validation().value()) + ", "
                        + interval(d.validation()) + "</td>");
            }
            h.append("</tr>");
        }
        h.append("</table>");
    }

    private static void negativeTransfer(StringBuilder h, ParetoReport r) {
        h.append("<h2>Negative transfer</h2>").append(p("muted", esc(FindingText.RULE)));
        if (r.negativeTransfer().isEmpty()) {
            h.append(p(null, esc(FindingText.NONE)));
            return;
        }
        h.append("<ul>");
        for (ParetoReport.Finding f : r.negativeTransfer()) {
            String sentence = esc(FindingText.sentence(f));
            h.append(f.significant() ? "<li><b>" + sentence + "</b></li>" : "<li class=\"muted\">" + sentence + "</li>");
        }
        h.append("</ul>");
    }

    private static void affinity(StringBuilder h, ParetoReport r) {
        h.append("<h2>Task affinity</h2>");
        if (r.affinity().matrix() == null) {
            h.append(p("muted", "Not measured: the study did not use the affinity warm start (search.warm-start: affinity)."));
            return;
        }
        h.append(p("muted", "Row i, column j: how a training step on task i changes task j's loss (positive: lowers it)."));
        h.append("<table><tr><th></th>");
        r.affinity().tasks().forEach(t -> h.append("<th>").append(esc(t)).append("</th>"));
        h.append("</tr>");
        double[][] m = r.affinity().matrix();
        for (int i = 0; i < m.length; i++) {
            h.append("<tr><td>").append(esc(r.affinity().tasks().get(i))).append("</td>");
            for (double v : m[i]) {
                h.append("<td style=\"background:").append(colour(v * 100)).append("\">")
                        .append(String.format(Locale.ROOT, "%.3f", v)).append("</td>");
            }
            h.append("</tr>");
        }
        h.append("</table>");
    }

    private static void hypervolume(StringBuilder h, ParetoReport r) {
        HypervolumeHistory hv = r.hypervolume();
        h.append("<h2>Hypervolume</h2>").append(p(null, esc(hv.summary())))
                .append(p("muted", "Method: " + esc(hv.method())));
        List<SvgCharts.Point> points = hv.history().stream().filter(p -> p.share() != null)
                .map(p -> new SvgCharts.Point(p.trials(), p.share() * 100, "after " + p.trials() + " trials: "
                        + HypervolumeHistory.percent(p.share()) + " (" + p.accuracy() + ")", false)).toList();
        h.append(SvgCharts.line("Hypervolume after each completed trial, as a share of the reference box",
                "complete trials", "% of reference box", points, 100));
    }

    /** Green for a gain, red for a loss, white near zero; {@code percent} in percentage points. */
    private static String colour(double percent) {
        double t = Math.min(1, Math.abs(percent) / 10);
        int fade = (int) Math.round(255 - 120 * t);
        return percent >= 0 ? String.format("rgb(%d,255,%d)", fade, fade) : String.format("rgb(255,%d,%d)", fade, fade);
    }

    private static void row(StringBuilder h, String key, String value) {
        h.append("<tr><td>").append(esc(key)).append("</td><td>").append(esc(value)).append("</td></tr>");
    }

    private static String p(String cls, String html) {
        return (cls == null ? "<p>" : "<p class=\"" + cls + "\">") + html + "</p>";
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }
}

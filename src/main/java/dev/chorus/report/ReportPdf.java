package dev.chorus.report;

import dev.chorus.trial.Interval;
import dev.chorus.trial.References;
import dev.chorus.trial.Runs;
import dev.chorus.trial.TaskResult;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openpdf.text.Chunk;
import org.openpdf.text.Document;
import org.openpdf.text.Element;
import org.openpdf.text.Font;
import org.openpdf.text.PageSize;
import org.openpdf.text.Paragraph;
import org.openpdf.text.Phrase;
import org.openpdf.text.pdf.PdfPCell;
import org.openpdf.text.pdf.PdfPTable;
import org.openpdf.text.pdf.PdfWriter;

/**
 * The report as a PDF (OpenPDF): the same sections as the HTML page, as text and tables, in the
 * standard PDF fonts (so "Delta m" is spelled out). Charts stay in the HTML form.
 */
public final class ReportPdf {

    private static final Font TITLE = new Font(Font.HELVETICA, 18, Font.BOLD);
    private static final Font HEADING = new Font(Font.HELVETICA, 13, Font.BOLD);
    private static final Font BODY = new Font(Font.HELVETICA, 9);
    private static final Font BODY_BOLD = new Font(Font.HELVETICA, 9, Font.BOLD);
    private static final Font SMALL = new Font(Font.COURIER, 7);
    private static final Font CELL = new Font(Font.HELVETICA, 8);
    private static final Font CELL_INTERVAL = new Font(Font.HELVETICA, 6.5f, Font.NORMAL, new Color(0x55, 0x55, 0x55));

    private ReportPdf() {
    }

    public static byte[] render(ParetoReport r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Document doc = new Document(PageSize.A4.rotate(), 36, 36, 36, 36);
        PdfWriter.getInstance(doc, out);
        doc.addTitle("Chorus report: " + r.study().name());
        doc.addCreator("Chorus");
        doc.open();
        doc.add(new Paragraph("Chorus report: " + r.study().name(), TITLE));
        doc.add(text(String.format(Locale.ROOT, "Study %d, %s: %d of %d trials finished (%d complete). Generated %s.",
                r.study().id(), r.study().state(), r.study().trialsFinished(), r.study().budget(),
                r.study().trialsComplete(), r.generatedAt())));

        heading(doc, "Recommended configuration");
        ParetoReport.Recommendation rec = r.recommendation();
        doc.add(text("Answer: " + rec.verdict()));
        doc.add(text("Acceptance policy: " + r.study().acceptancePolicy()));
        doc.add(text("Fewest models: " + member(rec.fewestModels()) + ". Why: " + rec.fewestModelsReason()));
        doc.add(text("Knee of the front: " + member(rec.knee()) + ". Why: " + rec.kneeReason()));
        gains(doc, r.references(), rec.tuning(), rec.fewestModels());
        stability(doc, r.stability());
        taskDeltas(doc, rec.fewestModels(), r.study().tasks());

        heading(doc, "Single-task baselines");
        PdfPTable baselines = table("task", "metric", "validation", "held-out test", "baseline hash");
        for (ParetoReport.Baseline b : r.baselines()) {
            cells(baselines, b.task(), b.metric() + " (" + b.direction() + ")", num(b.validation()), num(b.test()),
                    b.hash());
        }
        doc.add(baselines);

        heading(doc, "Pareto front");
        doc.add(text("Chosen on the validation split: every value and delta below is on validation rows, except the "
                + "held-out test Delta m, which nothing was chosen by. Each number is the mean over the configuration's "
                + "runs; each delta and Delta m comes with its 95 % interval over them (Student's t; a single run has "
                + "none). An interval that includes 0 does not establish a gain or a loss."));
        List<String> tasks = r.study().tasks();
        String[] header = new String[6 + tasks.size()];
        System.arraycopy(new String[] {"trial", "groups", "weighting", "models", "validation Delta m [95 % interval]",
            "test Delta m [95 % interval]"}, 0, header, 0, 6);
        for (int i = 0; i < tasks.size(); i++) {
            header[6 + i] = tasks.get(i) + ": validation value, delta % [95 % interval]";
        }
        PdfPTable front = table(header);
        for (ParetoFront.Member m : r.front()) {
            String recommended = ReportCsv.recommended(rec, m);
            cells(front, m.number() + (recommended.isEmpty() ? "" : " (" + recommended + ")"),
                    ReportCsv.groups(m.groups()), m.weighting(), Integer.toString(m.models()));
            front.addCell(interval("", m.deltaMInterval()));
            front.addCell(interval("", m.testDeltaMInterval()));
            Map<String, TaskResult> byTask = ParetoReport.byTask(m);
            for (String task : tasks) {
                TaskResult t = byTask.get(task);
                Runs.TaskDeltas d = m.taskDeltas().get(task);
                front.addCell(t == null || d == null ? new Phrase("", CELL)
                        : interval(num(t.validation().value()) + ", ", d.validation()));
            }
        }
        doc.add(front);

        heading(doc, "Negative transfer");
        doc.add(text(FindingText.RULE));
        if (r.negativeTransfer().isEmpty()) {
            doc.add(text(FindingText.NONE));
        }
        for (ParetoReport.Finding f : r.negativeTransfer()) {
            doc.add(new Paragraph("- " + FindingText.sentence(f), f.significant() ? BODY_BOLD : BODY));
        }

        heading(doc, "Task affinity");
        if (r.affinity().matrix() == null) {
            doc.add(text("Not measured: the study did not use the affinity warm start."));
        } else {
            String[] cols = new String[r.affinity().tasks().size() + 1];
            cols[0] = "step on \\ loss of";
            for (int i = 0; i < r.affinity().tasks().size(); i++) {
                cols[i + 1] = r.affinity().tasks().get(i);
            }
            PdfPTable affinity = table(cols);
            for (int i = 0; i < r.affinity().matrix().length; i++) {
                String[] row = new String[cols.length];
                row[0] = r.affinity().tasks().get(i);
                for (int j = 0; j < r.affinity().matrix()[i].length; j++) {
                    row[j + 1] = String.format(Locale.ROOT, "%.3f", r.affinity().matrix()[i][j]);
                }
                cells(affinity, row);
            }
            doc.add(affinity);
        }

        heading(doc, "Hypervolume");
        doc.add(text(r.hypervolume().summary()));
        doc.add(text("Method: " + r.hypervolume().method()));

        heading(doc, "Reproduce");
        doc.add(text("Seed: " + r.reproduction().seed() + "; " + r.reproduction().trialSeeds()));
        doc.add(text("Data content hash: " + r.reproduction().dataHash()));
        r.reproduction().versions().forEach((k, v) -> doc.add(text(k + " version: " + v)));

        heading(doc, "Study definition");
        doc.add(new Paragraph(r.study().specYaml(), SMALL));
        doc.close();
        return out.toByteArray();
    }

    private static String member(ParetoFront.Member m) {
        return m == null ? "none" : String.format(Locale.ROOT,
                "trial %d: %s (%s weighting), %d model(s); Delta m on validation %s; on held-out test %s",
                m.number(), ReportCsv.groups(m.groups()), m.weighting(), m.models(), m.deltaMInterval().percent(),
                m.testDeltaMInterval().percent());
    }

    /** Each task's tuned reference with the gain from tuning, and the recommendation's gain from sharing. */
    private static void gains(Document doc, List<References.Reference> references, References.Tuning tuning,
                              ParetoFront.Member m) {
        doc.add(text("Gain from tuning and gain from sharing (held-out test; a task's reference is the single-task "
                + "model chosen on validation among the configurations that train it alone, or the fixed baseline; "
                + "sharing is paired by run against the references):"));
        PdfPTable table = table("task", "tuned reference", "gain from tuning: reference vs fixed baseline",
                "gain from sharing: recommended vs reference");
        for (References.Reference ref : references) {
            Runs.TaskDeltas share = m == null ? null : m.sharing().tasks().get(ref.task());
            cells(table, ref.task(), ReportCsv.reference(ref));
            table.addCell(ref.tuning() == null ? new Phrase("0 (is the baseline)", CELL) : interval("", ref.tuning().test()));
            table.addCell(share == null ? new Phrase("-", CELL) : interval("", share.test()));
        }
        if (!references.isEmpty()) {
            cells(table, "Delta m", "");
            table.addCell(tuning == null ? new Phrase("0 (every reference is the baseline)", CELL)
                    : interval("", tuning.testDeltaM()));
            table.addCell(m == null ? new Phrase("-", CELL) : interval("", m.sharing().testDeltaM()));
        }
        doc.add(table);
    }

    /** How the recommendation fares with its loss weights moved and under the neighbouring weightings. */
    private static void stability(Document doc, ParetoReport.Stability s) {
        doc.add(text("Stability (the recommendation re-run with its loss weights moved and under the neighbouring "
                + "weighting methods, on its own seeds and rows): " + s.summary()));
        if (s.variants().isEmpty()) {
            return;
        }
        PdfPTable table = table("variant", "held-out test delta m vs tuned references",
                "change vs the recommendation, run for run (points)", "runs");
        for (ParetoReport.Variant v : s.variants()) {
            cells(table, v.change());
            table.addCell(v.testDeltaM() == null ? new Phrase("-", CELL) : interval("", v.testDeltaM()));
            table.addCell(v.difference() == null ? new Phrase("-", CELL)
                    : interval(v.significant() ? "" : "n.s. ", v.difference()));
            cells(table, v.runs() + " of " + v.planned());
        }
        doc.add(table);
    }

    /** The recommended member's per-task paired deltas over its runs, held-out test first, with intervals. */
    private static void taskDeltas(Document doc, ParetoFront.Member m, List<String> tasks) {
        if (m == null) {
            return;
        }
        doc.add(text("Per task, trial " + m.number() + " against the single-task baselines (mean delta over its runs "
                + "with the 95 % interval; an interval that includes 0 does not establish a gain or a loss):"));
        PdfPTable table = table("task", "held-out test delta [95 % interval]", "validation delta [95 % interval]");
        table.setWidthPercentage(60);
        table.setHorizontalAlignment(Element.ALIGN_LEFT);
        for (String t : tasks) {
            Runs.TaskDeltas d = m.taskDeltas().get(t);
            if (d != null) {
                cells(table, t);
                table.addCell(interval("", d.test()));
                table.addCell(interval("", d.validation()));
            }
        }
        doc.add(table);
    }

    /** {@code prefix} and a mean, and under it in small type its 95 % interval and the runs it rests on. */
    private static Phrase interval(String prefix, Interval i) {
        Phrase p = new Phrase(prefix + i.meanPercent(), CELL);
        p.add(new Chunk("\n" + i.spread(), CELL_INTERVAL));
        return p;
    }

    private static void heading(Document doc, String text) {
        Paragraph p = new Paragraph(text, HEADING);
        p.setSpacingBefore(12);
        p.setSpacingAfter(4);
        doc.add(p);
    }

    private static Paragraph text(String text) {
        return new Paragraph(text, BODY);
    }

    private static PdfPTable table(String... header) {
        PdfPTable t = new PdfPTable(header.length);
        t.setWidthPercentage(100);
        t.setHeaderRows(1);
        for (String h : header) {
            PdfPCell c = new PdfPCell(new Phrase(h, new Font(Font.HELVETICA, 8, Font.BOLD)));
            c.setHorizontalAlignment(Element.ALIGN_LEFT);
            t.addCell(c);
        }
        return t;
    }

    private static void cells(PdfPTable t, String... values) {
        for (String v : values) {
            t.addCell(new Phrase(v, CELL));
        }
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }
}

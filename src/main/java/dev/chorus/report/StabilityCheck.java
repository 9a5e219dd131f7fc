package dev.chorus.report;

import dev.chorus.report.ParetoReport.Stability;
import dev.chorus.report.ParetoReport.Variant;
import dev.chorus.search.Variants;
import dev.chorus.trial.Interval;
import dev.chorus.trial.References;
import dev.chorus.trial.Runs;
import dev.chorus.trial.Trial;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Reads the stability check of a recommendation from its variants' runs: each variant's held-out test Δm
 * against the tuned references, and its difference from the recommendation's, run for run on the
 * replicates both have (same seeds, same rows, same references), with a 95 % t-interval. A change is
 * significant only when that interval excludes zero. Pure functions.
 */
final class StabilityCheck {

    private StabilityCheck() {
    }

    /** Nothing to read: the check is off, nothing is recommended, or no model is shared. */
    static Stability without(String status, Integer trialNumber, String summary) {
        return new Stability(status, trialNumber, summary, List.of());
    }

    /**
     * @param recommended  the recommended configuration's runs
     * @param variantRuns  every run of the study's stability variants (of any configuration)
     * @param references   the references the recommendation's gain is measured against; may be null when
     *                     {@code variantRuns} is empty
     * @param searchOver   whether the search has ended (the study is no longer running)
     */
    static Stability of(Runs recommended, List<Trial> variantRuns, References references, boolean searchOver) {
        Trial first = recommended.first();
        List<Variants.Variant> planned = Variants.of(first.candidate());
        if (planned.isEmpty()) {
            return without("not-applicable", first.number(), "Not applicable: every task of trial " + first.number()
                    + " has a model of its own, so no loss is weighed against another.");
        }
        Map<Long, List<Trial>> byVariant = new LinkedHashMap<>();
        variantRuns.stream().filter(t -> Objects.equals(t.variantOf(), first.id()))
                .sorted(Comparator.comparingInt(Trial::number))
                .forEach(t -> byVariant.computeIfAbsent(t.configurationId(), k -> new ArrayList<>()).add(t));
        int replicates = recommended.count();
        if (byVariant.isEmpty()) {
            String size = planned.size() + " variant(s) × " + replicates + " run(s), outside the trial budget";
            return searchOver
                    ? without("not-run", first.number(), "Not run: the study ended before the check of trial "
                            + first.number() + " (" + size + ") could run, or it was recommended after the check.")
                    : without("pending", first.number(), "Runs once the search is over: " + size + ".");
        }
        SortedMap<Integer, double[]> mine = references.byReplicate(recommended);
        List<Variant> variants = new ArrayList<>();
        int open = 0;
        for (List<Trial> runs : byVariant.values()) {
            Trial variantFirst = runs.stream().filter(t -> !t.isRepeat()).findFirst().orElse(runs.getFirst());
            open += (int) runs.stream().filter(t -> !t.state().isFinished()).count();
            variants.add(variant(variantFirst, runs, planned, mine, references));
        }
        if (open > 0) {
            return new Stability("running", first.number(), "Running: " + open + " of "
                    + byVariant.values().stream().mapToInt(List::size).sum() + " run(s) still to finish.", variants);
        }
        return new Stability("checked", first.number(), summary(first.number(), variants), variants);
    }

    private static Variant variant(Trial variantFirst, List<Trial> runs, List<Variants.Variant> planned,
                                   SortedMap<Integer, double[]> mine, References references) {
        String change = planned.stream().filter(v -> v.candidate().equals(variantFirst.candidate()))
                .map(Variants.Variant::change).findFirst().orElse("another weighting or weights");
        List<Integer> numbers = runs.stream().map(Trial::number).toList();
        String weighting = variantFirst.candidate().weighting().id();
        if (variantFirst.isRepeat()) { // its first run is missing: nothing is paired
            return new Variant(change, weighting, numbers, 0, runs.size(), null, null, false);
        }
        Runs complete = Runs.of(variantFirst, runs.stream().filter(Trial::isRepeat).toList());
        SortedMap<Integer, double[]> theirs = complete.count() == 0 ? new TreeMap<>()
                : references.byReplicate(complete);
        List<Double> test = new ArrayList<>();
        List<Double> difference = new ArrayList<>();
        theirs.forEach((replicate, d) -> {
            if (mine.containsKey(replicate)) {
                test.add(d[1]);
                difference.add(d[1] - mine.get(replicate)[1]);
            }
        });
        if (test.isEmpty()) {
            return new Variant(change, weighting, numbers, 0, runs.size(), null, null, false);
        }
        Interval diff = Interval.of(difference.stream().mapToDouble(Double::doubleValue).toArray());
        return new Variant(change, weighting, numbers, test.size(), runs.size(),
                Interval.of(test.stream().mapToDouble(Double::doubleValue).toArray()), diff,
                diff.aboveZero() || diff.belowZero());
    }

    /** The finding in words: stable, or which change moves the answer and by how much. */
    static String summary(int trialNumber, List<Variant> variants) {
        List<Variant> measured = variants.stream().filter(v -> v.difference() != null).toList();
        if (measured.isEmpty()) {
            return "Not measured: no variant of trial " + trialNumber + " completed a run paired with it.";
        }
        List<Variant> significant = measured.stream().filter(Variant::significant).toList();
        Variant largest = measured.stream()
                .max(Comparator.comparingDouble(v -> Math.abs(v.difference().mean()))).orElseThrow();
        String incomplete = measured.size() < variants.size()
                ? " " + (variants.size() - measured.size()) + " variant(s) completed no paired run." : "";
        if (measured.stream().noneMatch(v -> v.difference().known())) {
            return String.format(Locale.ROOT, "Not established: each variant of trial %d has one paired run, so no "
                    + "interval (evaluation.repeats is 1, or runs failed); the largest move was %s points (%s).%s",
                    trialNumber, largest.difference().points(), largest.change(), incomplete);
        }
        if (significant.isEmpty()) {
            // what the runs could have seen: a change smaller than the widest interval's half-width may hide in it
            double unseen = measured.stream().map(Variant::difference).filter(Interval::known)
                    .mapToDouble(i -> (i.high() - i.low()) / 2).max().orElseThrow();
            return String.format(Locale.ROOT, "Stable: under %d variant(s) of trial %d (loss weights moved by %d %%, "
                    + "neighbouring weightings) the held-out test Δm moves by %.2f points at most (%s), and no change "
                    + "is significant; a change under about %.1f points (the widest interval's half-width) would go "
                    + "unseen with these runs.%s", measured.size(), trialNumber, Math.round(Variants.STEP * 100),
                    Math.abs(largest.difference().mean()), largest.change() + ": " + largest.difference().points(),
                    unseen, incomplete);
        }
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "Sensitive: the gain of trial %d rests on its exact weighting.", trialNumber));
        for (Variant v : significant) {
            out.append(String.format(Locale.ROOT, " %s changes the held-out test Δm by %s points.", capitalised(
                    v.change()), v.difference().points()));
        }
        return out.append(incomplete).toString();
    }

    private static String capitalised(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}

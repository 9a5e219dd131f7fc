package dev.chorus.report;

import dev.chorus.report.ParetoReport.Recommendation;
import dev.chorus.spec.StudySpec;
import dev.chorus.trial.Interval;
import dev.chorus.trial.References;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Picks the configurations a report recommends from a study's Pareto front, by the gain from sharing
 * (each member against the tuned single-task references, see {@link ParetoFront.Member#sharing}) on the
 * validation split, and says what the held-out test split lets it claim. Pure functions.
 */
final class Recommendations {

    /** The fewest models first, the best validation gain from sharing among equals. */
    private static final Comparator<ParetoFront.Member> FEWEST_THEN_BEST =
            Comparator.comparingInt(ParetoFront.Member::models)
                    .thenComparing(ParetoFront.Member::sharingDeltaM, Comparator.reverseOrder());

    private Recommendations() {
    }

    /**
     * The recommendation, and what the data lets it claim. Chosen on validation only, among the
     * acceptable members (within the acceptance policy; no task, and not Δm, with a validation gain from
     * sharing whose interval lies wholly below zero), and among those that rest on all the runs the study
     * asks whenever any does: the confirmed ones ({@code confirm} runs, see {@link #shortlist}) first,
     * else the raced ones ({@code repeats} runs). Among confirmed members, those whose validation gain
     * from sharing lies wholly above zero come first; then the fewest models, the best validation gain
     * from sharing among equals. The verdict then reads the held-out test gain of that one member.
     *
     * <p>Measured and rejected (BENCHMARKS.md, "Optimism"): preferring groupings whose validation gain lies
     * above zero among members raced on 3 runs. On the positive case none did on any seed, while on the
     * null case it picked, among many members, one whose gain lay above zero by chance on validation and
     * then on test (seed 4: +2.09 % [+0.02, +4.16]): a false "Sharing helps". Among the at most
     * {@link dev.chorus.spec.StudySpec.Evaluation#SHORTLIST} confirmed members, each on {@code confirm}
     * runs, the intervals are narrow enough for the preference, and the test check still reads rows that
     * chose nothing.
     *
     * @param tasks           the study's task count (separate models are {@code tasks} models)
     * @param modelsObjective whether the study minimises the number of models: then fewer models are a
     *                        reason to recommend a grouping even when it gains no accuracy
     * @param repeats         the runs a configuration gets when raced ({@code evaluation.repeats})
     * @param confirm         the runs the answer's configurations get after the search
     *                        ({@code evaluation.confirm}); {@code repeats} or less when it is off
     * @param references      each task's tuned reference: a verdict that says to train the tasks separately
     *                        names them, since that is what it tells the user to ship
     * @param tuning          what the references gain together over the fixed baselines, or null while every
     *                        reference is the fixed baseline: a verdict that says to train the tasks separately
     *                        quotes it, since that is what shipping the references buys
     */
    static Recommendation of(List<ParetoFront.Member> front, String policy, int tasks, boolean modelsObjective,
                             int repeats, int confirm, List<References.Reference> references,
                             References.Tuning tuning) {
        List<ParetoFront.Member> acceptable = acceptable(front);
        List<ParetoFront.Member> raced = acceptable.stream().filter(m -> m.runs() >= repeats).toList();
        List<ParetoFront.Member> confirmed = confirm <= repeats ? List.of()
                : acceptable.stream().filter(m -> m.runs() >= confirm).toList();
        // a member on fewer runs (the budget ran out before its repeats) yields to one with all of them
        List<ParetoFront.Member> pool = !confirmed.isEmpty() ? confirmed : raced.isEmpty() ? acceptable : raced;
        List<ParetoFront.Member> gaining = confirmed.stream().filter(m -> m.sharing().deltaM().aboveZero()).toList();
        ParetoFront.Member fewest = (gaining.isEmpty() ? pool : gaining).stream().min(FEWEST_THEN_BEST).orElse(null);
        String fewestReason = fewest == null
                ? (front.isEmpty() ? "no trial has completed yet" : "no front member meets the acceptance policy ("
                        + policy + ") without losing significantly against the tuned references; relax it or search "
                        + "longer")
                : String.format(Locale.ROOT, "fewest models (%d) among the front members that meet the acceptance "
                        + "policy (%s)%s and lose neither Δm nor any task significantly against the tuned "
                        + "references; validation Δm against the references %+.2f%%%s%s",
                        fewest.models(), policy, gaining.isEmpty() ? ""
                                : " and gain from sharing on validation (interval above zero)",
                        fewest.sharingDeltaM(),
                        pool.stream().filter(m -> m.models() == fewest.models()).count() > 1
                                ? ", the best Δm among those with as few models" : "",
                        runsNote(fewest, raced, acceptable, repeats, confirm));
        ParetoFront.Member knee = knee(pool);
        String kneeReason = knee != null ? kneeReason(knee, pool) : front.isEmpty()
                ? "no configuration has settled yet" : "no front member meets the acceptance policy";
        boolean losesToReferences = fewest == null && front.stream().anyMatch(m -> m.violations().isEmpty());
        String verdict = losesToReferences ? LOSES_PREFIX + separately(references, tuning)
                : verdict(fewest, tasks, modelsObjective, references, tuning);
        return new Recommendation(fewest, fewestReason, knee, kneeReason, verdict,
                fewest != null && helps(fewest, tasks),
                losesToReferences || (fewest != null && separate(fewest, tasks, modelsObjective)), tuning);
    }

    /** Whether {@code m} shares a model and its held-out test gain from sharing lies wholly above zero. */
    private static boolean helps(ParetoFront.Member m, int tasks) {
        return m.models() < tasks && m.sharing().testDeltaM().aboveZero();
    }

    /**
     * Whether the verdict on {@code m} advises training the tasks separately with their references: unless it
     * shares a model and either gains significantly on test or is kept for needing fewer models.
     */
    private static boolean separate(ParetoFront.Member m, int tasks, boolean modelsObjective) {
        return !(helps(m, tasks) || (m.models() < tasks && modelsObjective));
    }

    /** As {@link #of(List, String, int, boolean, int, int, List, References.Tuning)} without the references. */
    static Recommendation of(List<ParetoFront.Member> front, String policy, int tasks, boolean modelsObjective,
                             int repeats, int confirm) {
        return of(front, policy, tasks, modelsObjective, repeats, confirm, List.of(), null);
    }

    /** As {@link #of(List, String, int, boolean, int, int)} without a confirmation. */
    static Recommendation of(List<ParetoFront.Member> front, String policy, int tasks, boolean modelsObjective,
                             int repeats) {
        return of(front, policy, tasks, modelsObjective, repeats, repeats);
    }

    /** As {@link #of(List, String, int, boolean, int)} for a study whose configurations run once. */
    static Recommendation of(List<ParetoFront.Member> front, String policy, int tasks, boolean modelsObjective) {
        return of(front, policy, tasks, modelsObjective, 1);
    }

    /**
     * The members the answer is confirmed on after the search, chosen on validation among the acceptable
     * members raced on {@code repeats} runs (all acceptable members when none is): the fewest models
     * (best validation gain from sharing among equals), the {@link #knee} and the best validation gain
     * from sharing, without repeats, in that order; at most
     * {@link dev.chorus.spec.StudySpec.Evaluation#SHORTLIST}.
     */
    static List<ParetoFront.Member> shortlist(List<ParetoFront.Member> front, int repeats) {
        List<ParetoFront.Member> acceptable = acceptable(front);
        List<ParetoFront.Member> raced = acceptable.stream().filter(m -> m.runs() >= repeats).toList();
        List<ParetoFront.Member> pool = raced.isEmpty() ? acceptable : raced;
        if (pool.isEmpty()) {
            return List.of();
        }
        LinkedHashSet<ParetoFront.Member> out = new LinkedHashSet<>();
        out.add(pool.stream().min(FEWEST_THEN_BEST).orElseThrow());
        out.add(knee(pool));
        out.add(pool.stream().max(Comparator.comparingDouble(ParetoFront.Member::sharingDeltaM)).orElseThrow());
        return List.copyOf(out);
    }

    /** Within the acceptance policy and losing neither Δm nor any task significantly on validation. */
    private static List<ParetoFront.Member> acceptable(List<ParetoFront.Member> front) {
        return front.stream().filter(m -> m.violations().isEmpty())
                .filter(m -> m.sharing().tasks().values().stream().noneMatch(d -> d.validation().belowZero()))
                .filter(m -> !m.sharing().deltaM().belowZero()).toList();
    }

    /** How many runs the choice rests on, when that is not what the study asks. */
    private static String runsNote(ParetoFront.Member chosen, List<ParetoFront.Member> raced,
                                   List<ParetoFront.Member> acceptable, int repeats, int confirm) {
        if (confirm > repeats && chosen.runs() >= confirm) {
            return "; confirmed on " + chosen.runs() + " runs after the search";
        }
        return racedNote(raced, acceptable);
    }

    /** Whether the choice was confined to fully raced members, or had to go without. */
    private static String racedNote(List<ParetoFront.Member> raced, List<ParetoFront.Member> pool) {
        if (raced.isEmpty()) {
            return pool.isEmpty() ? "" : "; no member has all the study's runs yet, so this rests on fewer";
        }
        return "";
    }

    /** The advice to keep every task apart, before the references' names and the period. */
    private static final String SEPARATELY = "Train the tasks separately, each with its reference's settings";
    /** {@link #LOSES_TO_REFERENCES} before its advice. */
    private static final String LOSES_PREFIX = "No grouping holds up against the tuned single-task models: every "
            + "front member within the acceptance policy loses some task, or Δm, significantly to them on "
            + "validation, so no gain from sharing can be claimed. ";
    /**
     * The verdict when the front has members within the acceptance policy but each loses some task, or Δm,
     * significantly to the tuned single-task references on validation: the references are the answer.
     */
    static final String LOSES_TO_REFERENCES = LOSES_PREFIX + SEPARATELY + ".";

    /**
     * What the data supports, in words: "sharing helps" only when the recommended grouping's held-out test
     * Δm against the tuned single-task references has an interval wholly above zero; otherwise that no
     * grouping beat the tuned single-task models, and separate models unless the study also minimises the
     * number of models.
     */
    static String verdict(ParetoFront.Member m, int tasks, boolean modelsObjective,
                          List<References.Reference> references, References.Tuning tuning) {
        if (m == null) {
            return "No recommendation: no front member meets the acceptance policy, or none has settled yet; "
                    + "nothing can be claimed.";
        }
        Interval test = m.sharing().testDeltaM();
        String measured = measured("a held-out test Δm against the tuned single-task references of", test)
                + (test.known() ? "" : " (it or a reference was not raced: evaluation.repeats is 1, or the budget ran "
                + "out)");
        if (helps(m, tasks)) {
            return String.format(Locale.ROOT, "Sharing helps: trial %d trains %d model(s) for %d tasks with %s.",
                    m.number(), m.models(), tasks, measured);
        }
        String tail = separate(m, tasks, modelsObjective) ? " " + separately(references, tuning)
                : String.format(Locale.ROOT, " Trial %d is recommended for needing %d model(s) instead of %d within "
                        + "the acceptance policy, not for accuracy.", m.number(), m.models(), tasks);
        return "No significant gain over the tuned single-task models: the front member chosen on validation (trial "
                + m.number() + ", " + m.models() + " model(s)) has " + measured + ", which does not lie above zero."
                + resolution(test) + tail;
    }

    /** "{@code what} m %, 95 % interval [low, high] over n paired runs", or the mean of a single run. */
    private static String measured(String what, Interval i) {
        return i.known()
                ? String.format(Locale.ROOT, "%s %+.2f %%, 95 %% interval [%+.2f, %+.2f] over %d paired runs", what,
                        i.mean(), i.low(), i.high(), i.runs())
                : String.format(Locale.ROOT, "%s %+.2f %% from a single paired run, so no interval", what, i.mean());
    }

    /**
     * The advice to train every task apart, naming each task's reference (a trial, or the fixed baseline)
     * so the user knows what to train, and what those references buy over the fixed baseline settings (the
     * gain from tuning: the answer's figure when no grouping beats them); without references, the advice
     * alone.
     */
    private static String separately(List<References.Reference> references, References.Tuning tuning) {
        if (references.isEmpty()) {
            return SEPARATELY + ".";
        }
        String advice = references.stream()
                .map(r -> r.task() + ": " + (r.fixedBaseline() ? "the fixed baseline" : "trial " + r.trialNumber()))
                .collect(Collectors.joining("; ", SEPARATELY + " (", ")."));
        if (tuning == null) {
            return advice + " No searched settings beat the fixed baseline's on validation for any task, so the "
                    + "search found nothing to gain by tuning either.";
        }
        Interval gain = tuning.testDeltaM();
        String claim = !gain.known() ? ": too few runs to claim a gain from tuning."
                : gain.aboveZero() ? ": that is what tuning each task alone buys here."
                : ", which does not lie above zero: no significant gain from tuning either.";
        return advice + " " + measured("Against the fixed baseline settings these references have a held-out "
                + "test Δm of", gain) + claim;
    }

    /**
     * How fine the interval is, so "no significant gain" is not read as "no gain": its half-width, and what
     * {@code evaluation.confirm}'s most runs would narrow it to (by the square root of the runs; the smaller
     * t quantile of more runs narrows it a little more). Empty without an interval.
     */
    static String resolution(Interval test) {
        if (!test.known()) {
            return "";
        }
        double half = (test.high() - test.low()) / 2;
        String more = test.runs() >= StudySpec.Evaluation.MAX_REPEATS ? ""
                : String.format(Locale.ROOT, "; %d runs (evaluation.confirm: %d) would narrow it to about ±%.2f",
                        StudySpec.Evaluation.MAX_REPEATS, StudySpec.Evaluation.MAX_REPEATS,
                        half * Math.sqrt(test.runs() / (double) StudySpec.Evaluation.MAX_REPEATS));
        return String.format(Locale.ROOT, " The interval is ±%.2f points wide at %d runs, so a real gain smaller "
                + "than that would seldom show as significant here%s.", half, test.runs(), more);
    }

    /**
     * The knee of the models-versus-Δm trade-off (validation Δm against the tuned references): among the
     * best Δm for each number of models, the point
     * farthest from the straight line joining the fewest-models and the most-models ends (both axes scaled
     * to [0, 1]). With fewer than three such points, the best Δm.
     */
    static ParetoFront.Member knee(List<ParetoFront.Member> members) {
        List<ParetoFront.Member> best = members.stream()
                .collect(Collectors.groupingBy(ParetoFront.Member::models,
                        Collectors.maxBy(Comparator.comparingDouble(ParetoFront.Member::sharingDeltaM))))
                .values().stream().flatMap(Optional::stream)
                .sorted(Comparator.comparingInt(ParetoFront.Member::models)).toList();
        if (best.isEmpty()) {
            return null;
        }
        if (best.size() < 3) {
            return best.stream().max(Comparator.comparingDouble(ParetoFront.Member::sharingDeltaM)).orElseThrow();
        }
        double minM = best.getFirst().models();
        double maxM = best.getLast().models();
        double minD = best.stream().mapToDouble(ParetoFront.Member::sharingDeltaM).min().orElseThrow();
        double maxD = best.stream().mapToDouble(ParetoFront.Member::sharingDeltaM).max().orElseThrow();
        double spanD = Math.max(maxD - minD, 1e-9);
        double x1 = 0;
        double y1 = (best.getFirst().sharingDeltaM() - minD) / spanD;
        double x2 = 1;
        double y2 = (best.getLast().sharingDeltaM() - minD) / spanD;
        ParetoFront.Member chosen = best.getFirst();
        double farthest = -1;
        for (ParetoFront.Member m : best) {
            double x = (m.models() - minM) / (maxM - minM);
            double y = (m.sharingDeltaM() - minD) / spanD;
            double distance = ((y - y1) * (x2 - x1) - (x - x1) * (y2 - y1)); // above the line: gain beyond linear
            if (distance > farthest) {
                farthest = distance;
                chosen = m;
            }
        }
        return chosen;
    }

    private static String kneeReason(ParetoFront.Member knee, List<ParetoFront.Member> members) {
        long sizes = members.stream().mapToInt(ParetoFront.Member::models).distinct().count();
        if (sizes < 3) {
            return String.format(Locale.ROOT, "the best validation Δm against the tuned references on the front (%+.2f%%, %d model(s)); too few different "
                    + "model counts for a knee", knee.sharingDeltaM(), knee.models());
        }
        return String.format(Locale.ROOT, "the knee of models versus Δm against the tuned references (validation): %d model(s) for Δm %+.2f%%; adding models "
                + "beyond it buys less Δm per model than before it", knee.models(), knee.sharingDeltaM());
    }
}

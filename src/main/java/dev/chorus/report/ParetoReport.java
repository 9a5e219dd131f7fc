package dev.chorus.report;

import dev.chorus.trial.Interval;
import dev.chorus.trial.References;
import dev.chorus.trial.TaskResult;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Everything a lead needs to act on a study without opening Chorus: what was searched, each task's
 * fixed baseline and tuned reference (with the gain from tuning), the Pareto front (with each member's
 * gain from sharing over the references), the recommended configuration and why, which tasks hurt which, the
 * task affinity, how the front grew, and what it takes to reproduce the result. Computed once by
 * {@link ReportBuilder}; the renderers ({@link ReportCsv}, {@link ReportHtml}, {@link ReportPdf}) only
 * lay it out.
 */
public record ParetoReport(Study study, List<Baseline> baselines, List<References.Reference> references,
                           List<ParetoFront.Member> front,
                           Recommendation recommendation, Stability stability, List<Finding> negativeTransfer,
                           Affinity affinity, HypervolumeHistory hypervolume, Reproduction reproduction,
                           Instant generatedAt) {

    /** The study as defined and how far it got. */
    public record Study(long id, String name, String state, String specYaml, List<String> tasks,
                        int trialsFinished, int trialsComplete, int budget, String acceptancePolicy) {
    }

    /** A task trained alone: the reference of every delta, on the validation and the test split. */
    public record Baseline(String task, String metric, String direction, double validation, double test, String hash) {
    }

    /**
     * The configurations to pick. {@code fewestModels}: the front member that meets the acceptance policy
     * with the fewest models (best Δm among equals); {@code knee}: where more models stop buying much Δm.
     * Either may be null when the front is empty; each comes with the reason it was chosen. {@code verdict}
     * says in words what the data supports; {@code sharingHelps} is true only when the recommended grouping
     * has fewer models than tasks and its held-out test Δm interval lies wholly above zero;
     * {@code trainSeparately} is true when the verdict advises training every task alone with its tuned
     * reference's settings (what to ship then are the references, not {@code fewestModels}). {@code tuning}
     * is what the tuned references gain together over the fixed baselines (null while every reference is the
     * fixed baseline): when the verdict says to train the tasks separately, that is what it buys, and the
     * verdict quotes its held-out test Δm.
     */
    public record Recommendation(ParetoFront.Member fewestModels, String fewestModelsReason,
                                 ParetoFront.Member knee, String kneeReason, String verdict, boolean sharingHelps,
                                 boolean trainSeparately, References.Tuning tuning) {
    }

    /**
     * A pair in which {@code victim} looks worse off when it shares a model with {@code source}: its mean
     * test delta together is below zero and at least {@link NegativeTransfer#MIN_GAP} points below its
     * mean apart. Only a {@code significant} one supports the claim that the source hurts the victim;
     * the others must be shown as not significant, with the trials they rest on.
     *
     * @param withSource       mean test delta (%) of the victim over complete trials where they share a model
     * @param withoutSource    mean test delta (%) of the victim over complete trials where they do not
     * @param trialsWith       how many trials the first mean is over
     * @param trialsWithout    how many trials the second mean is over
     * @param difference       {@code withoutSource − withSource} in percentage points: what sharing costs
     * @param low              lower bound of the 95 % Welch interval of {@code difference}; null when there is
     *                         no interval (fewer than {@link NegativeTransfer#MIN_TRIALS} trials on a side, or
     *                         no spread on either side)
     * @param high             upper bound of that interval; null exactly when {@code low} is
     * @param degreesOfFreedom the Welch–Satterthwaite degrees of freedom of the interval; null exactly when
     *                         {@code low} is
     * @param significant      whether the interval lies wholly above zero: the victim really does worse together
     */
    public record Finding(String source, String victim, double withSource, double withoutSource, int trialsWith,
                          int trialsWithout, double difference, Double low, Double high, Double degreesOfFreedom,
                          boolean significant) {

        public Finding {
            if ((low == null) != (high == null) || (low == null) != (degreesOfFreedom == null)) {
                throw new IllegalArgumentException("the bounds and degrees of freedom are known together or not at "
                        + "all: " + low + ", " + high + ", " + degreesOfFreedom);
            }
            if (significant && (low == null || low <= 0)) {
                throw new IllegalArgumentException("only an interval wholly above zero is significant, was ["
                        + low + ", " + high + "]");
            }
        }

        /** Whether the finding states an interval (both sides have enough trials and some spread). */
        public boolean hasInterval() {
            return low != null;
        }
    }

    /**
     * How much the recommendation rests on its exact loss weighting: its variants (loss weights moved by
     * a small step, the neighbouring weighting methods; see {@code dev.chorus.search.Variants}) re-run on
     * the recommendation's own replicates after the search, each compared with it run for run.
     *
     * @param status      {@code checked}, {@code running}, {@code pending} (runs once the search is over),
     *                    {@code not-run} (the study ended without it), {@code not-applicable} (no model is
     *                    shared), {@code off} ({@code evaluation.stability: false}) or {@code none} (nothing
     *                    is recommended)
     * @param trialNumber the recommended configuration's trial number, or null
     * @param summary     what the check found or why there is nothing, in words
     * @param variants    each variant, in the order they were run
     */
    public record Stability(String status, Integer trialNumber, String summary, List<Variant> variants) {

        public Stability {
            variants = List.copyOf(variants);
        }
    }

    /**
     * One variant of the recommendation.
     *
     * @param change     what it changes, in words
     * @param weighting  its weighting method's name
     * @param trials     the trial numbers of its runs
     * @param runs       its complete runs paired with the recommendation's
     * @param planned    the runs it was given (one per replicate of the recommendation)
     * @param testDeltaM its held-out test Δm against the tuned references, or null with no complete run
     * @param difference its test Δm minus the recommendation's, run for run (percentage points), or null
     * @param significant whether {@code difference}'s 95 % interval excludes zero
     */
    public record Variant(String change, String weighting, List<Integer> trials, int runs, int planned,
                          Interval testDeltaM, Interval difference,
                          boolean significant) {

        public Variant {
            trials = List.copyOf(trials);
        }
    }

    /** The task-affinity matrix (TAG warm start), or null matrix when the study measured none. */
    public record Affinity(List<String> tasks, double[][] matrix) {
    }

    /**
     * Seeds, rows, the data's content hash and the versions of what trained the trials.
     *
     * @param trialSeeds how each run's seed and rows follow from {@code seed}, as text
     * @param folds      k of the k-fold cross-validation the runs use, 0 when they share one test split,
     *                   null when the study's data cannot be loaded to resolve {@code folds: auto}
     */
    public record Reproduction(long seed, String trialSeeds, Integer folds, String dataHash, Map<String, String> versions) {
    }

    /** Per-task results of a member by task name. */
    static Map<String, TaskResult> byTask(ParetoFront.Member m) {
        return m.results().stream().collect(Collectors.toMap(TaskResult::task, r -> r,
                (a, b) -> a, LinkedHashMap::new));
    }
}

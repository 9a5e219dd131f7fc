package dev.chorus.spec;

import dev.chorus.mtl.Task;
import dev.chorus.mtl.TrainSettings;
import dev.chorus.mtl.data.DatasetSpec;
import dev.chorus.search.Pruner;
import dev.chorus.search.SearchSpace;
import dev.chorus.trial.TaskResult;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A study as defined by its search-space file, after validation. The file's text is kept verbatim
 * beside it in the store; this record is what the coordinator works from.
 *
 * @param name          a short name
 * @param description   free text, may be empty
 * @param seed          seeds the data, the splits, the sampler and every training run
 * @param dataset       where the rows come from
 * @param tasks         the tasks, in file order (this order indexes candidates' per-task genes)
 * @param space         what is searched
 * @param sampler       how candidates are proposed
 * @param population    candidates per generation
 * @param baseline      how each task's single-task baseline is trained
 * @param modelsObjective whether the number of models is an objective (minimised) beside the task metrics
 * @param budget        when the study stops
 * @param constraints   what makes a trial acceptable; unacceptable ones rank after every acceptable one
 * @param schedule      when new trials are proposed, and how long one may run
 * @param warmStart     how generation 0 is seeded
 * @param evaluation    how often a configuration is run before it may enter the front
 */
public record StudySpec(String name, String description, long seed, DatasetSpec dataset, List<Task> tasks,
                        SearchSpace space, SamplerKind sampler, int population, TrainSettings baseline,
                        boolean modelsObjective, Budget budget, Constraints constraints, Schedule schedule,
                        WarmStart warmStart, Evaluation evaluation) {

    public StudySpec {
        warmStart = warmStart == null ? WarmStart.NONE : warmStart;
        evaluation = evaluation == null ? Evaluation.DEFAULT : evaluation;
        Objects.requireNonNull(name, "name");
        description = description == null ? "" : description;
        Objects.requireNonNull(dataset, "dataset");
        tasks = List.copyOf(tasks);
        Objects.requireNonNull(space, "space");
        Objects.requireNonNull(sampler, "sampler");
        Objects.requireNonNull(baseline, "baseline");
        Objects.requireNonNull(budget, "budget");
        constraints = constraints == null ? Constraints.NONE : constraints;
        schedule = schedule == null ? new Schedule(false, population, null, PrunerKind.NONE) : schedule;
    }

    /** A study without a warm start. */
    public StudySpec(String name, String description, long seed, DatasetSpec dataset, List<Task> tasks,
                     SearchSpace space, SamplerKind sampler, int population, TrainSettings baseline,
                     boolean modelsObjective, Budget budget, Constraints constraints, Schedule schedule) {
        this(name, description, seed, dataset, tasks, space, sampler, population, baseline, modelsObjective, budget,
                constraints, schedule, WarmStart.NONE, Evaluation.DEFAULT);
    }

    /**
     * How a configuration's numbers are made trustworthy before the search may prefer it.
     *
     * @param repeats runs of a configuration that is about to enter the Pareto front, its first run
     *                included, each with a seed of its own and paired with baselines trained alike (see
     *                {@code study.Replicates}); 1 turns repeats off
     * @param folds   {@link #AUTO_FOLDS} (the file's {@code auto}): k-fold cross-validation with
     *                {@code k = repeats} when {@code repeats >= 2} and some task has fewer than
     *                {@code study.Replicates.SMALL_TASK_ROWS} (1,000) labelled rows, else off; {@link #NO_FOLDS}
     *                ({@code off}): every run tests on the stored split's test rows and resamples its
     *                train and validation rows; {@code k} in {@code 2..MAX_REPEATS}, equal to
     *                {@code repeats}: the runs of a configuration are the k folds
     * @param stability whether, after the search, the recommended configuration is re-run with its loss
     *                weights moved and under the neighbouring weighting methods, on its own replicates
     *                (see {@link dev.chorus.search.Variants}); these runs count toward no trial budget
     * @param confirm runs, in all, of the configurations the answer rests on once the search is over (the
     *                report's shortlist: the recommendation, the knee and the best validation Δm, and every
     *                task's tuned reference), so that the final interval rests on more paired runs than
     *                the search could afford for each candidate; {@link #NO_CONFIRM} (0, the file's
     *                {@code off}) or {@code repeats..MAX_REPEATS}. They run after {@code max-trials} is
     *                spent, at most {@link #confirmationAllowance} of them
     * @param tunedTwins whether the confirmation also trains, and confirms, the tuned twin of each shortlisted
     *                configuration that shares a model: its grouping with the settings its shared tasks' tuned
     *                references use most (see {@code Candidate.withSettings}), so that sharing is tried with
     *                settings tuned as hard as the references it is compared with (the file's
     *                {@code tuned-twins}, default false)
     */
    public record Evaluation(int repeats, int folds, boolean stability, int confirm, boolean tunedTwins) {
        /** Runs of a front member unless the file says otherwise. */
        public static final int DEFAULT_REPEATS = 3;
        /** Most runs of one configuration, and most folds. */
        public static final int MAX_REPEATS = 20;
        /** {@code folds: auto}: cross-validate when a task's labelled rows are few (the default). */
        public static final int AUTO_FOLDS = -1;
        /** {@code folds: off}: one held-out test split for every run. */
        public static final int NO_FOLDS = 0;
        /** Runs of the answer's configurations after the search, unless the file says otherwise (repeats >= 2). */
        public static final int DEFAULT_CONFIRM = 10;
        /** {@code confirm: off}: the answer rests on the search's own runs. */
        public static final int NO_CONFIRM = 0;
        /** Configurations a confirmation round may re-run beyond the tasks' references: the shortlist's size. */
        public static final int SHORTLIST = 3;
        public static final Evaluation DEFAULT = new Evaluation(DEFAULT_REPEATS);

        public Evaluation {
            if (confirm != NO_CONFIRM && (confirm < repeats || confirm > MAX_REPEATS)) {
                throw new IllegalArgumentException("confirm must be off (" + NO_CONFIRM + ") or " + repeats + ".."
                        + MAX_REPEATS + " (at least repeats, " + repeats + "), was " + confirm);
            }
            if (repeats < 1 || repeats > MAX_REPEATS) {
                throw new IllegalArgumentException("repeats must be 1.." + MAX_REPEATS + ", was " + repeats);
            }
            if (folds != AUTO_FOLDS && folds != NO_FOLDS && (folds < 2 || folds > MAX_REPEATS || folds != repeats)) {
                throw new IllegalArgumentException("folds must be auto (" + AUTO_FOLDS + "), off (" + NO_FOLDS
                        + ") or 2.." + MAX_REPEATS + " equal to repeats (" + repeats + "), was " + folds);
            }
        }

        /** No tuned twins. */
        public Evaluation(int repeats, int folds, boolean stability, int confirm) {
            this(repeats, folds, stability, confirm, false);
        }

        /** {@code repeats} runs with {@code folds: auto} and the stability check. */
        public Evaluation(int repeats) {
            this(repeats, AUTO_FOLDS);
        }

        /** {@code repeats} runs, {@code folds}, and the stability check. */
        public Evaluation(int repeats, int folds) {
            this(repeats, folds, true);
        }

        /** {@code repeats} runs, {@code folds}, the stability check as given, and the default confirmation. */
        public Evaluation(int repeats, int folds, boolean stability) {
            this(repeats, folds, stability, defaultConfirm(repeats));
        }

        /**
         * {@link #DEFAULT_CONFIRM} runs (or {@code repeats}, when more) for a study that asks for intervals
         * ({@code repeats >= 2}); off for one whose configurations run once.
         */
        public static int defaultConfirm(int repeats) {
            return repeats >= 2 ? Math.max(DEFAULT_CONFIRM, repeats) : NO_CONFIRM;
        }

        /** Whether the answer's configurations get more runs than the search's after it. */
        public boolean confirms() {
            return confirm > repeats;
        }

        /**
         * The most confirmation runs a study adds beyond {@code max-trials}: each of the {@link #SHORTLIST}
         * configurations and each task's reference brought from {@code repeats} to {@code confirm} runs, and
         * a separate twin of each shortlisted configuration (see {@code Candidate.separated}) trained on
         * {@code confirm} runs, and with {@link #tunedTwins} a tuned twin of each as well.
         */
        public int confirmationAllowance(int tasks) {
            return confirms() ? (confirm - repeats) * (SHORTLIST + tasks) + confirm * SHORTLIST * (tunedTwins ? 2 : 1)
                    : 0;
        }
    }

    /**
     * How NSGA-II's generation 0 is seeded (the random sampler ignores it).
     *
     * @param affinity true: before generation 0, the task affinity ({@code TaskAffinity}) of one
     *                 hard-sharing model of all tasks trained with the baseline settings for
     *                 {@code epochs} epochs is measured and stored, and its best groupings
     *                 ({@code AffinityGroupings}) seed up to half of generation 0
     * @param epochs   epochs of that run, at least 1
     */
    public record WarmStart(boolean affinity, int epochs) {
        /** Epochs of the affinity run unless the file says otherwise. */
        public static final int DEFAULT_EPOCHS = 10;
        /** No warm start: generation 0 is uniform. */
        public static final WarmStart NONE = new WarmStart(false, DEFAULT_EPOCHS);

        public WarmStart {
            if (epochs < 1) {
                throw new IllegalArgumentException("affinity epochs must be at least 1, was " + epochs);
            }
        }
    }

    /**
     * How trials are proposed. Generational (the default): a generation of {@code population} trials,
     * the next once every trial of it has finished. Steady-state: whenever fewer than
     * {@code concurrency} trials are waiting or running, new ones are proposed from everything finished
     * so far, so a slow or failed trial holds nobody up.
     *
     * @param steadyState  steady-state rather than generational
     * @param concurrency  steady-state: trials waiting or running at once
     * @param trialTimeout a trial running longer is failed (its worker's late result is dropped); null
     *                     for no limit
     * @param pruner       how running trials are stopped early on their per-epoch validation values
     */
    public record Schedule(boolean steadyState, int concurrency, Duration trialTimeout, PrunerKind pruner) {
        public Schedule {
            if (concurrency < 1) {
                throw new IllegalArgumentException("concurrency must be at least 1, was " + concurrency);
            }
            pruner = pruner == null ? PrunerKind.NONE : pruner;
        }
    }

    /** The pruners a study can choose, with Chorus's default settings for each. */
    public enum PrunerKind {
        /** Never prune. */
        NONE("none"),
        /** Optuna's median rule: after 4 finished trials and 2 warm-up epochs. */
        MEDIAN("median"),
        /** Asynchronous successive halving: rungs after 1, 3, 9, ... epochs, keep the top third. */
        ASHA("asha"),
        /** Stop a trial whose per-task values are dominated by 3 finished trials', after 2 epochs. */
        PARETO("pareto");

        private final String id;

        PrunerKind(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        /** The pruner with its default settings. */
        public Pruner pruner() {
            return switch (this) {
                case NONE -> Pruner.none();
                case MEDIAN -> Pruner.median(4, 2);
                case ASHA -> Pruner.successiveHalving(1, 3);
                case PARETO -> Pruner.paretoDominated(3, 2);
            };
        }
    }

    /**
     * The acceptance policy of a study (constraint domination, Deb 2000: a trial that violates it ranks
     * after every trial that does not, and is never on the Pareto front while an acceptable trial exists).
     *
     * @param maxTaskLoss   when set, no task may be more than this many percent worse than its baseline
     *                      (every per-task delta must be at least {@code -maxTaskLoss})
     * @param maxParameters when set, the trainable parameters of all of a candidate's models together;
     *                      a larger candidate fails before training, so it costs nothing but a trial
     */
    public record Constraints(Double maxTaskLoss, Long maxParameters) {
        public static final Constraints NONE = new Constraints(null, null);

        public Constraints {
            if (maxTaskLoss != null && !(maxTaskLoss >= 0)) {
                throw new IllegalArgumentException("maxTaskLoss must be >= 0, was " + maxTaskLoss);
            }
            if (maxParameters != null && maxParameters < 1) {
                throw new IllegalArgumentException("maxParameters must be >= 1, was " + maxParameters);
            }
        }

        /**
         * The violations of a trial's per-task validation deltas (in percent), as text; empty when
         * acceptable. Read on validation, as every choice is.
         */
        public List<String> violations(List<TaskResult> results) {
            if (maxTaskLoss == null || results.isEmpty()) {
                return List.of();
            }
            return results.stream().filter(r -> r.validation().delta() < -maxTaskLoss)
                    .map(r -> r.task() + " is " + String.format(Locale.ROOT, "%.2f", -r.validation().delta())
                            + "% worse than its baseline on validation (at most " + maxTaskLoss + "% allowed)")
                    .toList();
        }
    }

    /** The samplers a study can choose. */
    public enum SamplerKind {
        NSGA2, RANDOM
    }

    /**
     * When a study stops: after {@code maxTrials} trials, once {@code maxWallClock} has passed since
     * it first started (time while paused counts), or once its trials have used
     * {@code maxWorkerTime} of worker time (start to finish of each trial, summed), whichever comes
     * first. Trials already running when a budget runs out finish; no new ones start.
     *
     * @param maxWorkerTime null for no limit
     */
    public record Budget(int maxTrials, Duration maxWallClock, Duration maxWorkerTime) {
        public Budget {
            if (maxTrials < 1) {
                throw new IllegalArgumentException("maxTrials must be at least 1, was " + maxTrials);
            }
            Objects.requireNonNull(maxWallClock, "maxWallClock");
        }

        public Budget(int maxTrials, Duration maxWallClock) {
            this(maxTrials, maxWallClock, null);
        }
    }
}

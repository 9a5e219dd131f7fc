package dev.chorus.report;

import dev.chorus.trial.Interval;
import dev.chorus.trial.References;
import dev.chorus.trial.Runs;
import dev.chorus.trial.TaskResult;
import java.util.Map;
import java.util.List;

/**
 * A study's Pareto front as people read it: the non-dominated complete trials with their per-task
 * metrics and deltas against the fixed single-task baselines and against the tuned references. Membership and order are decided on the
 * validation split; each member's test metrics are carried along, for reading only.
 *
 * @param objectives the objective names in vector order: each task's validation metric, then
 *                   {@code models} when the study minimises the number of models
 * @param members    the front, best Δm first
 * @param references each task's tuned single-task reference, in study order: what {@link Member#sharing}
 *                   is measured against, with the gain from tuning over the fixed baseline
 * @param tuning     the references' gain from tuning together (Δm over the fixed baselines, paired by
 *                   replicate); null while every reference is the fixed baseline
 */
public record ParetoFront(long studyId, List<String> objectives, List<Member> members,
                         List<References.Reference> references, References.Tuning tuning) {

    /**
     * One trial on the front.
     *
     * @param groups the task names of each model
     * @param deltaM Δm in percent on the validation split, positive when the grouping beat the
     *               baselines on average; what the front and the recommendation are chosen by
     * @param testDeltaM Δm in percent on the held-out test split; null for trials stored without one
     * @param results per task, the means over the configuration's complete runs (value, baseline and
     *                paired delta on each split)
     * @param violations how the trial breaks the study's constraints; non-empty only while no trial
     *                   keeps them all
     * @param runs    complete runs the numbers rest on (the first run and its repeats)
     * @param deltaMInterval     validation Δm over the runs, with its 95 % interval (none for one run)
     * @param testDeltaMInterval held-out test Δm over the runs, with its 95 % interval
     * @param taskDeltas per task, its paired delta over the runs on each split, with intervals
     * @param sharing the gain from sharing: Δm and per-task deltas against the tuned single-task
     *                references, paired by replicate; what the recommendation is chosen by (validation)
     *                and what it may claim (test)
     */
    public record Member(long trialId, int number, int models, List<List<String>> groups, String weighting,
                         double deltaM, Double testDeltaM, List<TaskResult> results, List<String> violations,
                         int runs, Interval deltaMInterval, Interval testDeltaMInterval,
                         Map<String, Runs.TaskDeltas> taskDeltas, References.Sharing sharing) {

        /** Validation Δm against the tuned references: what the recommendation ranks members by. */
        public double sharingDeltaM() {
            return sharing.deltaM().mean();
        }
    }
}

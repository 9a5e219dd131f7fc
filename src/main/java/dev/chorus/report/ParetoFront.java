package dev.chorus.report;

import dev.chorus.trial.Interval;
import dev.chorus.trial.Runs;
import dev.chorus.trial.TaskResult;
import java.util.Map;
import java.util.List;

/**
 * A study's Pareto front as people read it: the non-dominated complete trials with their per-task
 * metrics and deltas against the single-task baselines. Membership and order are decided on the
 * validation split; each member's test metrics are carried along, for reading only.
 *
 * @param objectives the objective names in vector order: each task's validation metric, then
 *                   {@code models} when the study minimises the number of models
 * @param members    the front, best Δm first
 */
public record ParetoFront(long studyId, List<String> objectives, List<Member> members) {

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
     */
    public record Member(long trialId, int number, int models, List<List<String>> groups, String weighting,
                         double deltaM, Double testDeltaM, List<TaskResult> results, List<String> violations,
                         int runs, Interval deltaMInterval, Interval testDeltaMInterval,
                         Map<String, Runs.TaskDeltas> taskDeltas) {
    }
}

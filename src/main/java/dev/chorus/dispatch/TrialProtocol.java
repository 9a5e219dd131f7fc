package dev.chorus.dispatch;

import dev.chorus.mtl.Candidate;
import dev.chorus.mtl.TrainSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * What a worker asks of a coordinator: the trial protocol. The coordinator implements it in-process
 * (its own worker threads and dispatchers use that); {@code HttpTrialProtocol} speaks the same protocol
 * to a remote coordinator over REST, and external trainers can speak it too.
 *
 * <p>A claim hands one waiting trial to one worker under a lease identified by a claim id. The worker
 * renews the lease with {@link #heartbeat}; a trial whose lease runs out goes back to waiting (or
 * fails once it has used its attempts) and the old claim is dead: every later call with it throws
 * {@link LeaseLostException}. Finishing calls ({@link #complete}, {@link #prune}, {@link #fail}) are
 * idempotent per claim: repeating one that already took effect changes nothing and succeeds.
 *
 * @implNote Implementations are thread-safe.
 */
public interface TrialProtocol {

    /**
     * Claims the oldest waiting trial of a running study, waiting up to {@code wait} for one to
     * appear (long poll). @return empty when none appeared in time
     */
    Optional<Assignment> claim(String worker, Duration wait);

    /**
     * Claims like {@link #claim(String, Duration)}, but only a trial of study {@code study}: what a
     * client's ask-and-tell loop on one study needs. Implementations that claim from every study only
     * (a remote protocol) refuse.
     */
    default Optional<Assignment> claim(String worker, Duration wait, long study) {
        throw new UnsupportedOperationException("this trial protocol claims from every study; claim without one");
    }

    /**
     * Claims as {@link #claim(String, Duration, long)} from {@code study}, or as {@link #claim(String, Duration)}
     * from every running study when it is null (a request that may or may not name one).
     */
    default Optional<Assignment> claimFrom(String worker, Duration wait, Long study) {
        return study == null ? claim(worker, wait) : claim(worker, wait, study);
    }

    /** The assignment held under {@code claim} (for a worker started on a claim made on its behalf). */
    Assignment assignment(long trialId, UUID claim);

    /** Renews the lease. @throws LeaseLostException when the claim no longer holds the trial */
    Lease heartbeat(long trialId, UUID claim);

    /**
     * Records one epoch's validation values ({@code values} maps task name to value) of some of the
     * trial's tasks. @return true when the study's pruner wants the trial stopped
     */
    boolean report(long trialId, UUID claim, int step, Map<String, Double> values);

    /** A cached single-task baseline's validation metric by content hash; empty when none is stored. */
    Optional<Double> baseline(String hash);

    /**
     * The rows replicate {@code replicate} of any configuration of the study trains on. Without
     * cross-validation, replicate 0 is the study's stored train/validation/test split and a repeat
     * resamples its train and validation rows and keeps the test rows; with k folds
     * ({@code evaluation.folds}), replicate r, 0 included, tests on fold r mod k of all rows. With the
     * hash of the data the rows index.
     */
    SplitRows split(long studyId, int replicate);

    /**
     * Finishes the trial with per-task results; baselines the worker trained come along.
     *
     * @throws LeaseLostException when the claim does not hold the trial (nothing is checked or stored)
     * @throws dev.chorus.error.ValidationException when the completion breaks a rule of {@link Completion}
     * @throws dev.chorus.error.ConflictException when a baseline comes with other values than those stored
     *     under its key
     */
    void complete(long trialId, UUID claim, Completion completion);

    /**
     * Completes the trial as {@link #complete} does, then claims the next trial for {@code worker} as
     * {@link #claim(String, Duration)} does: what a worker does between two trials, in one exchange where a
     * remote worker would otherwise make two. The completion stands whatever the claim finds, and repeating
     * the call after an answer was lost completes nothing twice (a trial the lost answer had claimed goes
     * back to waiting when its first lease runs out).
     *
     * @param study      the one study whose trials to claim, as {@link #claim(String, Duration, long)}; null
     *                   claims from every running study
     * @return the next trial; empty when none appeared within {@code wait}, or when the coordinator was too
     *     busy to claim one: claim again the usual way
     * @throws LeaseLostException as {@link #complete} does; nothing is claimed then
     */
    default Optional<Assignment> completeAndClaim(long trialId, UUID claim, Completion completion, String worker,
                                                  Duration wait, Long study) {
        complete(trialId, claim, completion);
        return claimFrom(worker, wait, study);
    }

    /** Finishes the trial as pruned; its reported intermediate values stay. */
    void prune(long trialId, UUID claim);

    /** Finishes the trial as failed, for good: the error is the worker's and would repeat. */
    void fail(long trialId, UUID claim, String error);

    /**
     * Gives the trial back because its worker cannot run it (its pod was evicted, killed for memory,
     * its image could not be pulled): waiting again with {@code reason} noted, or failed with it once
     * the trial has used its attempts.
     */
    void release(long trialId, UUID claim, String reason);

    /**
     * One claimed trial, with what a worker needs to train it.
     *
     * @param heartbeatSeconds how often to renew the lease with {@link #heartbeat}
     * @param models      task names per model, model by model (the candidate's grouping, readable)
     * @param tasks       the study's tasks in study order, each with the one baseline key the worker may
     *                    report for it
     * @param specYaml    the study definition as submitted; relative paths resolve against {@code baseDir}
     * @param dataHash    content hash of the study's rows; a worker whose data differ must fail the trial
     * @param seed        the seed of this trial's training, and of the baselines it is compared with
     * @param replicate   0 for a configuration's first run, r > 0 for its r-th repeat: train on
     *                    {@link #split(long, int) split(studyId, replicate)}
     * @param baseline    how the study trains each task's single-task baseline (its {@code baseline:}
     *                    settings), for a trainer that must send one the coordinator lacks; null where
     *                    the assignment was made without the study's definition at hand
     */
    record Assignment(long trialId, UUID claim, Instant leaseUntil, long heartbeatSeconds, long studyId,
                      int number, long seed, int replicate, Candidate candidate, List<List<String>> models,
                      List<TaskInfo> tasks, String specYaml, String baseDir, String dataHash, TrainSettings baseline) {

        /** An assignment that does not state the baseline settings. */
        public Assignment(long trialId, UUID claim, Instant leaseUntil, long heartbeatSeconds, long studyId,
                          int number, long seed, int replicate, Candidate candidate, List<List<String>> models,
                          List<TaskInfo> tasks, String specYaml, String baseDir, String dataHash) {
            this(trialId, claim, leaseUntil, heartbeatSeconds, studyId, number, seed, replicate, candidate, models,
                    tasks, specYaml, baseDir, dataHash, null);
        }
    }

    /**
     * A task as an external trainer needs it: name, type, primary metric and its direction.
     *
     * @param baselineHash the key of the task's single-task baseline for this assignment (this study,
     *                     its data, the run's rows and seed): the only key the trial's result for the
     *                     task may name, and the only one a baseline for it may be sent under
     */
    record TaskInfo(String name, String type, String metric, String direction, String baselineHash) {
    }

    /** The lease of a claim: valid until {@code until}. */
    record Lease(Instant until) {
    }

    /** A study's split: row indices per part, and the content hash of the rows they index. */
    record SplitRows(String dataHash, int[] train, int[] validation, int[] test) {
    }

    /**
     * A finished trial's per-task metrics on the validation and the test split, each naming the
     * baseline it is compared with; the baselines the worker had to train come along. Every task of the
     * study has one result, every value is within its metric's range ({@code Metric.admits}), and every
     * hash is the task's key from the assignment ({@link TaskInfo#baselineHash}). A baseline already
     * stored under its key may come again with the same values; with other values it is refused.
     */
    record Completion(List<Result> results, List<NewBaseline> baselines) {
        public Completion {
            results = List.copyOf(results);
            baselines = baselines == null ? List.of() : List.copyOf(baselines);
        }
    }

    /**
     * One task's metrics and the content hash of its single-task baseline.
     *
     * @param validation the task's primary metric on the split's validation rows, at the epoch the
     *                   trainer kept (chosen on validation, never on test): what the search ranks by
     * @param test       the same metric, same parameters, on the held-out test rows: reported only
     */
    record Result(String task, Double validation, Double test, String baselineHash) {
    }

    /**
     * A single-task baseline a worker trained: its hash, task, its metric on the validation and on the
     * test rows (as in {@link Result}), and how it was trained (may be null for an external trainer).
     *
     * @param trainSeconds how long training took: 0 or more
     */
    record NewBaseline(String hash, String task, Double validation, Double test, double trainSeconds,
                       TrainSettings settings) {
    }

    /** The claim no longer holds the trial: its lease ran out, or the trial was finished by another claim. */
    final class LeaseLostException extends RuntimeException {
        public LeaseLostException(String message) {
            super(message);
        }
    }
}

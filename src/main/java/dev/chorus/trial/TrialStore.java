package dev.chorus.trial;

import dev.chorus.mtl.Candidate;
import dev.chorus.trial.Trial;
import dev.chorus.trial.TrialState;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Stored trials, their per-task results and intermediate values; each study's Pareto front and
 * hypervolume history are {@link FrontStore}'s.
 *
 * <p>Ownership: a {@link TrialState#RUNNING} trial belongs to the claim that holds it; workers
 * change it only through {@link ClaimStore}. This interface adds trials, reads them, and ends them
 * for reasons of the study's (timeouts, a stopped study).
 *
 * @implNote Implementations are thread-safe and take part in the caller's transaction when there is
 *     one.
 */
public interface TrialStore {

    /** Adds waiting trials for {@code candidates}, numbered after the study's last trial. */
    List<Trial> insert(long studyId, int generation, List<Candidate> candidates, Instant now);

    /**
     * As {@link #insert(long, int, List, Instant)}, adding only as many as keep the study at most at
     * {@code maxTrials} trials, counted under the same per-study lock as the insert (so concurrent
     * inserts cannot pass the budget together).
     */
    List<Trial> insert(long studyId, int generation, List<Candidate> candidates, int maxTrials, Instant now);

    /**
     * Adds up to {@code count} waiting repeats of a first run's configuration, in its generation, numbered
     * after the study's last trial, with replicates after the configuration's last one; only as many as
     * keep the study at most at {@code maxTrials} trials (counted under the insert's per-study lock).
     *
     * @return the repeats added, possibly none
     * @throws IllegalArgumentException when {@code first} is itself a repeat
     */
    List<Trial> insertRepeats(Trial first, int count, int maxTrials, Instant now);

    /**
     * Adds the waiting runs of the stability check's variants of a recommended configuration: for each
     * variant, one run per replicate in {@code replicates} (the first, replicate 0, is the variant's first
     * run, the others its repeats), all naming {@code recommended} as the configuration they vary. They
     * are numbered after the study's last trial and count toward no budget.
     *
     * @return the runs added, variant by variant, in replicate order
     * @throws IllegalArgumentException when {@code recommended} is a repeat or a variant, or
     *     {@code replicates} does not start with 0
     */
    List<Trial> insertVariants(Trial recommended, List<Candidate> variants, List<Integer> replicates, Instant now);

    /** Every run of a study's stability variants, whatever its state, by number. */
    List<Trial> variants(long studyId);

    /**
     * A study's first runs that have a repeat still waiting or running, by number.
     *
     * <p>This and the other reads of a study's trials here leave the stability variants out, unless they
     * say otherwise: those are no candidates of the search (not sampled from, not on the front, no
     * reference, not in the budget, the counts or the trial list); {@link #find}, {@link #variants} and
     * the claims read them.
     */
    List<Trial> racing(long studyId);

    /** Every repeat of the given first runs, whatever its state, by first run and replicate. */
    List<Trial> repeats(Collection<Long> firstRuns);

    /** Every intermediate curve of a study's finished trials: trial id to its per-epoch values. */
    Map<Long, List<Map<String, Double>>> intermediateCurves(long studyId);

    /**
     * Finishes a running or waiting trial as failed, whoever holds it (a study-level decision).
     * @return false when it was already finished
     */
    boolean fail(long trialId, String error, Instant now);

    /** Fails a study's trials that have been running since before {@code startedBefore}. @return how many */
    int failRunningSince(long studyId, Instant startedBefore, String error, Instant now);

    /** Fails every waiting trial of a study (used when a study stops). @return how many */
    int failWaiting(long studyId, String error, Instant now);

    /** The study's first run (not a repeat, not a variant) that trains exactly {@code candidate}, if any. */
    Optional<Trial> firstRun(long studyId, Candidate candidate);

    /** One trial with its results. */
    Optional<Trial> find(long trialId);

    /** A page of a study's trials in number order, with results. */
    List<Trial> list(long studyId, int offset, int limit);

    /**
     * Up to {@code limit} trials of a study numbered above {@code afterNumber}, whatever their state, in number
     * order, with results; without stability variants. A study's trials are numbered densely under its lock
     * held until commit ({@link #insert}), so the trials any read sees are numbered from 0 without a gap: one
     * that is not visible yet will be numbered above every visible one, and reading on from the last number
     * read finds every trial added since.
     */
    List<Trial> listAfter(long studyId, int afterNumber, int limit);

    /**
     * A page of a study's trials, sorted and filtered by state, with results: what the dashboard's
     * trials table shows. Ties in the sort key fall back to the trial number (in the same direction),
     * so pages do not overlap; trials without a value for the key (no Δm yet, not finished) come last
     * in both directions. A page by keyset ({@link TrialQuery#after}, {@link TrialQuery#before}) costs
     * about its own size wherever it lies; one by offset grows with the offset.
     *
     * @throws dev.chorus.error.ValidationException when the keyset's trial is not one of the study's
     */
    List<Trial> page(long studyId, TrialQuery query);

    /** The sort keys of {@link #page}. */
    enum TrialOrder { NUMBER, DELTA_M, MODELS, FINISHED }

    /**
     * What {@link #page} returns.
     *
     * @param states     the states to keep; empty keeps every state
     * @param order      the sort key
     * @param descending whether the largest (newest) comes first
     * @param offset     trials to skip, 0 or more; 0 with a keyset
     * @param limit      trials to return at most, 1 or more
     * @param after      a trial number: the page starts just after that trial in this order (null: by offset)
     * @param before     a trial number: the page ends just before that trial in this order (null: by offset)
     */
    record TrialQuery(Set<TrialState> states, TrialOrder order, boolean descending, int offset, int limit,
                      Integer after, Integer before) {
        public TrialQuery {
            states = Set.copyOf(states);
            Objects.requireNonNull(order, "order");
            if (offset < 0 || limit < 1) {
                throw new IllegalArgumentException("offset must be 0 or more and limit 1 or more, were "
                        + offset + " and " + limit);
            }
            if ((after != null || before != null) && (offset != 0 || (after != null && before != null))) {
                throw new IllegalArgumentException("a keyset page has one of after and before and no offset, had "
                        + after + ", " + before + " and " + offset);
            }
        }

        /** A page by offset. */
        public TrialQuery(Set<TrialState> states, TrialOrder order, boolean descending, int offset, int limit) {
            this(states, order, descending, offset, limit, null, null);
        }
    }

    /** Every finished trial of a study in number order, with results: what the sampler learns from. */
    List<Trial> listFinished(long studyId);

    /**
     * Up to {@code limit} finished trials of a study numbered above {@code afterNumber}, in number order, with
     * results: {@link #listFinished} a page at a time, for histories too long to hold at once.
     */
    List<Trial> listFinishedAfter(long studyId, int afterNumber, int limit);

    /**
     * Every finished trial of a study, {@code pageSize} at a time in number order: {@link #listFinishedAfter}
     * page after page, each read when the loop reaches it, for reads of histories too long to hold at once.
     */
    default Iterable<List<Trial>> finishedPages(long studyId, int pageSize) {
        return () -> new Iterator<>() {
            private int after = -1;
            private List<Trial> page;

            @Override
            public boolean hasNext() {
                if (page == null) {
                    page = listFinishedAfter(studyId, after, pageSize);
                }
                return !page.isEmpty();
            }

            @Override
            public List<Trial> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                List<Trial> read = page;
                after = read.getLast().number();
                page = null;
                return read;
            }
        };
    }

    /** The finished trials of a study whose {@code finishedAt} is {@code since} or later, with results, in number order. */
    List<Trial> listFinishedSince(long studyId, Instant since);

    /**
     * The finished trials of a study among {@code ids}, with results, in number order; as {@link #listFinished},
     * without stability variants. Ids of other studies and of trials still waiting or running are left out.
     */
    List<Trial> listFinished(long studyId, Collection<Long> ids);

    /** The complete trial with the highest Δm (the lowest number among equals), with results. */
    Optional<Trial> best(long studyId);

    /**
     * How many trials a study has in each state, and its highest generation (-1 when none).
     *
     * @implNote Costs the same at any study size: the counts are kept incrementally, in the transaction that
     *     inserts a trial or changes its state, and agree with a count of the trials at every commit.
     */
    Counts counts(long studyId);

    /**
     * Folds the increments that {@link #counts} sums into one figure per study and state, so that counting
     * stays cheap; the counts do not change. Called periodically (the coordinator's tick).
     *
     * @return rows written
     */
    int compactCounts();

    /** Trials waiting in running studies (the queue workers claim from), and trials running anywhere. */
    Queue queue();

    /** The work queue at one moment. */
    record Queue(int waiting, int running) {
    }

    /** Worker time a study's trials have used: finished ones start to finish, running ones until {@code now}. */
    Duration workerTime(long studyId, Instant now);

    /** A trial's per-epoch validation values: element {@code step} maps task to value. */
    List<Map<String, Double>> intermediate(long trialId);

    /** Trial counts of one study. */
    record Counts(Map<TrialState, Integer> byState, int maxGeneration) {
        public int total() {
            return byState.values().stream().mapToInt(Integer::intValue).sum();
        }

        public int of(TrialState state) {
            return byState.getOrDefault(state, 0);
        }

        /** Trials that are waiting or running. */
        public int open() {
            return of(TrialState.WAITING) + of(TrialState.RUNNING);
        }
    }
}

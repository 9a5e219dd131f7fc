package dev.chorus.server;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit for each study's front: completions that arrive together are taken into the front by
 * one update, in one transaction, rather than one after another under the front's lock.
 *
 * <p>A completion commits its results first, marked as owed to the front; then it calls {@link #await}
 * with the study's update (a function that takes every owed completion of the study, in one transaction).
 * {@code await} returns once an update that started after the call has finished: the caller's own
 * completion is then in the front. While one update runs, the completions that arrive wait; the first of
 * them to get the study's turn runs the next update, for all of them at once. So a study with {@code k}
 * completions arriving during one update pays for two updates, not {@code k}.
 *
 * @implNote Thread-safe. One lock and two counters per study that ever completed a trial in this process;
 *     the callers that wait hold no database connection.
 */
final class FrontBatches {

    private final Map<Long, Turn> studies = new ConcurrentHashMap<>();

    /**
     * Returns once an update of {@code studyId}'s front that started after this call has finished, running
     * {@code update} on this thread when none has.
     *
     * @throws RuntimeException what {@code update} threw; the completions it should have taken stay owed,
     *     for the next update
     */
    void await(long studyId, Runnable update) {
        Turn turn = studies.computeIfAbsent(studyId, k -> new Turn());
        long seen = turn.started;
        turn.lock.lock();
        try {
            if (turn.finished > seen) {
                return; // an update that started after this call took this caller's completion
            }
            long mine = ++turn.started;
            update.run();
            turn.finished = mine;
        } finally {
            turn.lock.unlock();
        }
    }

    /** One study's updates: counted as they start and finish, one at a time. */
    private static final class Turn {
        final ReentrantLock lock = new ReentrantLock();
        /** Updates started; written under {@code lock}. */
        volatile long started;
        /** The number of the last update that finished; written under {@code lock}. */
        volatile long finished;
    }
}

package dev.chorus.server;

import dev.chorus.search.Hypervolume;
import dev.chorus.search.Pareto;
import dev.chorus.spec.StudySpec;
import dev.chorus.study.Objectives;
import dev.chorus.study.StudyService;
import dev.chorus.trial.FrontStore;
import dev.chorus.trial.FrontStore.FrontChange;
import dev.chorus.trial.Trial;
import dev.chorus.trial.TrialStore;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Computes each study's hypervolume off the completion path and appends it to the study's history.
 *
 * <p>A completion stores the front and marks it changed ({@link FrontStore#markFront}); once its
 * transaction commits, it calls {@link #changed}. The writer then reads the study's latest mark and front,
 * computes {@link Hypervolume#estimate} (exact within its work budget, else a seeded Monte-Carlo estimate
 * with its 95 % bound) and stores the point under the mark's trial and version. Per study:
 * <ul>
 *   <li>one computation at a time, and at most one per {@link #SPACING};</li>
 *   <li>coalescing: changes that arrive while it computes lead to one more computation, of the front as it
 *       is then, not one per change;</li>
 *   <li>nothing lost: a change always has a computation that starts after it was committed, so the last
 *       point is of the last front; after a crash or a failed write, {@link #recover} (run at start) computes
 *       every study whose mark is newer than its history ({@link FrontStore#staleHypervolumes}).</li>
 * </ul>
 * A front equal to the last one this process computed for the study (a dominated newcomer) reuses that
 * value; a front that grew from it (newcomers joined, and any member that left was covered by one) adds
 * the newcomers' exclusive contributions to it ({@link Computed#grownTo}); any other front (the first
 * after a start, a settle that recomputed the front from means) is computed whole.
 *
 * @implNote Thread-safe. {@link #changed} may be called from any thread and never blocks: the computations
 *     run on {@link StudyDrains}, at most one drain per study queued or running at any time. Studies are
 *     computed in parallel on a small pool of daemon threads (half the processors, at least one). The last computed front of each study is
 *     cached in memory, one entry per study.
 */
@ApplicationScoped
public class HypervolumeWriter {

    private static final Logger LOG = Logger.getLogger(HypervolumeWriter.class);
    /**
     * The least time between the starts of two computations of one study: the changes that come meanwhile
     * wait and are taken by one computation. A study completing dozens of trials a second otherwise
     * computed and stored a point for nearly every one, on the two cores its completions need.
     */
    static final Duration SPACING = Duration.ofMillis(250);

    private final FrontStore fronts;
    private final TrialStore trials;
    private final FrontMembers members;
    private final StudyService studies;
    private final InstantSource clock;
    private final TransactionSynchronizationRegistry transactions;
    private final StudyDrains drains;
    /** Computations started, for tests. */
    private final AtomicLong writes = new AtomicLong();
    /** The last front each study's drain computed, and its hypervolume. */
    private final Map<Long, Computed> last = new ConcurrentHashMap<>();

    @Inject
    HypervolumeWriter(FrontStore fronts, TrialStore trials, FrontMembers members, StudyService studies,
                      InstantSource clock, TransactionSynchronizationRegistry transactions) {
        this(fronts, trials, members, studies, clock, transactions, Executors.newFixedThreadPool(
                Math.max(1, Runtime.getRuntime().availableProcessors() / 2),
                Thread.ofPlatform().name("hypervolume-", 0).daemon().factory()), SPACING);
    }

    /** With the executor and the spacing given: tests run the drains by hand, with no spacing. */
    HypervolumeWriter(FrontStore fronts, TrialStore trials, FrontMembers members, StudyService studies,
                      InstantSource clock, TransactionSynchronizationRegistry transactions, Executor executor,
                      Duration spacing) {
        this.fronts = fronts;
        this.members = members;
        this.trials = trials;
        this.studies = studies;
        this.clock = clock;
        this.transactions = transactions;
        this.drains = new StudyDrains("store its hypervolume", executor, spacing, this::write);
    }

    /**
     * Says that a study's front was marked changed: its hypervolume is computed after the caller's
     * transaction commits (at once when there is none; never when it rolls back).
     */
    public void changed(long studyId) {
        if (transactions.getTransactionStatus() == Status.STATUS_ACTIVE) {
            transactions.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                }

                @Override
                public void afterCompletion(int status) {
                    if (status == Status.STATUS_COMMITTED) {
                        drains.submit(studyId);
                    }
                }
            });
        } else {
            drains.submit(studyId);
        }
    }

    /** Computes and stores the hypervolume of a study's latest front, in no transaction. */
    void write(long studyId) {
        writes.incrementAndGet();
        // the mark before the front: a point may carry a newer front than its version, never an older one
        FrontChange change = fronts.lastChange(studyId).orElse(null);
        if (change == null) {
            return;
        }
        StudySpec spec = studies.spec(studyId);
        if (Objectives.count(spec) > Objectives.MAX_HYPERVOLUME_OBJECTIVES) {
            return;
        }
        List<Trial> members = FrontRuns.of(this.members.front(studyId), trials).means();
        // the front is kept among the acceptable trials when any exists; while none is, it covers nothing
        double[][] points = members.stream().anyMatch(t -> Objectives.feasible(spec, t))
                ? members.stream().map(t -> Objectives.forHypervolume(spec, t)).toArray(double[][]::new)
                : new double[0][];
        double[] reference = Objectives.hypervolumeReference(spec);
        Computed before = last.get(studyId);
        Hypervolume.Estimate hv = before == null ? null : before.grownTo(points, reference);
        if (hv == null) {
            hv = Hypervolume.estimate(Arrays.asList(points), reference);
        }
        last.put(studyId, new Computed(points, hv));
        fronts.addHypervolume(studyId, new FrontStore.HypervolumePoint(change.trials(), change.trialId(), hv.value(),
                hv.error95(), hv.exact(), change.version(), clock.instant()));
    }

    /** Computes the hypervolume of every study whose front changed after its last point (a restart's). */
    public void recover() {
        List<Long> stale = fronts.staleHypervolumes();
        if (!stale.isEmpty()) {
            LOG.infof("Computing the hypervolume of %d stud%s whose front changed after its last point: %s",
                    stale.size(), stale.size() == 1 ? "y" : "ies", stale);
        }
        stale.forEach(drains::submit);
    }

    void onStart(@Observes StartupEvent event) {
        try {
            recover();
        } catch (RuntimeException e) {
            LOG.warn("Could not look for studies whose hypervolume is older than their front", e);
        }
    }

    /**
     * Waits until no computation is queued or running, for tests and shutdown.
     *
     * @return false when {@code limit} passed first
     */
    public boolean awaitIdle(Duration limit) throws InterruptedException {
        return drains.awaitIdle(limit);
    }

    /** Lets the computations under way finish before the datasource closes; the rest are recovered at the next start. */
    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        drains.shutdown();
    }

    /** How many computations have started, for tests. */
    long writes() {
        return writes.get();
    }

    /** A front's points and their hypervolume. */
    record Computed(double[][] points, Hypervolume.Estimate value) {

        /**
         * The exact hypervolume of {@code next} from this one, when {@code next} is this front grown: this
         * value exact, each of its points kept in {@code next} or weakly dominated by one there (a newcomer
         * that pushed it off covers its box). It is this value plus each newcomer's exclusive
         * contribution ({@link Hypervolume#contribution}), far cheaper than the whole on a large front.
         *
         * @return null when {@code next} is not this front grown, or this value is an estimate
         */
        Hypervolume.Estimate grownTo(double[][] next, double[] reference) {
            if (Arrays.deepEquals(points, next)) {
                return value;
            }
            if (!value.exact() || points.length == 0) {
                return null;
            }
            List<double[]> kept = new ArrayList<>();
            List<double[]> added = new ArrayList<>();
            for (double[] p : next) {
                (Arrays.stream(points).anyMatch(q -> Arrays.equals(p, q)) ? kept : added).add(p);
            }
            for (double[] q : points) {
                if (kept.stream().noneMatch(p -> Arrays.equals(p, q))
                        && added.stream().noneMatch(p -> Pareto.weaklyDominates(p, q))) {
                    return null; // a point left without a newcomer covering it: the volume may have shrunk
                }
            }
            double volume = value.value();
            List<double[]> front = new ArrayList<>(Arrays.asList(points));
            for (double[] p : added) {
                volume += Hypervolume.contribution(front, p, reference);
                front.add(p);
            }
            return new Hypervolume.Estimate(volume, 0, 0);
        }

    }
}

package dev.chorus.server;

import dev.chorus.spec.StudySpec;
import dev.chorus.study.ReferenceTracker;
import dev.chorus.study.Objectives;
import dev.chorus.study.StudyService;
import dev.chorus.study.StudyState;
import dev.chorus.trial.FrontStore;
import dev.chorus.trial.References;
import dev.chorus.trial.Runs;
import dev.chorus.trial.Trial;
import dev.chorus.trial.TrialState;
import dev.chorus.trial.TrialStore;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.stream.IntStream;
import org.jboss.logging.Logger;

/**
 * Keeps each study's Pareto front of configurations as runs end, racing challengers as SMAC's
 * intensifier does: a configuration that would enter the front, or become a task's single-task reference,
 * gets the study's repeats before it competes; the front is then kept from the means over complete runs.
 * {@link TrialRecorder} hands it each completion owed to the front; {@link TrialService} the runs that end
 * otherwise (failed, pruned, expired repeats; a stopped study).
 *
 * @implNote Thread-safe as far as its callers hold the study's front lock ({@link FrontStore#lockFront}) in
 *     the transaction they call it in: {@link #refresh} and {@link #settle} read and replace the front and
 *     insert repeats, so two of them for one study must not interleave. The references come from the
 *     application's {@link ReferenceTracker}, safe to read from any thread.
 */
@ApplicationScoped
class FrontKeeper {

    private static final Logger LOG = Logger.getLogger(FrontKeeper.class);

    private final TrialStore trials;
    private final FrontStore fronts;
    private final StudyService studies;
    private final InstantSource clock;
    private final HypervolumeWriter hypervolumes;
    private final ReferenceTracker references;

    FrontKeeper(TrialStore trials, FrontStore fronts, StudyService studies, ReferenceTracker references,
                InstantSource clock, HypervolumeWriter hypervolumes) {
        this.trials = trials;
        this.fronts = fronts;
        this.studies = studies;
        this.clock = clock;
        this.hypervolumes = hypervolumes;
        this.references = references;
    }

    /**
     * Updates the study's Pareto front after {@code trialId} completed, in the caller's transaction, racing
     * challengers as SMAC's intensifier does. The front holds configurations (by their first run), judged by
     * the means over their complete runs ({@link Runs}), and kept among the acceptable ones (complete,
     * within the constraints), or among all complete ones while none is acceptable.
     * <ul>
     *   <li>Without repeats ({@code evaluation.repeats: 1}) the update is incremental: the front of the
     *       trials so far plus one is the non-dominated part of the old front plus that one.</li>
     *   <li>With repeats, a first run that no front member and no configuration still racing dominates
     *       does not enter: its repeats are added (as many as the trial budget allows) and it competes
     *       once they have all finished, with as many runs as the members it would displace.</li>
     *   <li>When the last repeat of a configuration finishes, it competes with the front on its means
     *       ({@link #settled}); a member of the new front with fewer runs than the study asks races first,
     *       while the budget allows, and the front is then recomputed from every settled configuration.</li>
     * </ul>
     */
    boolean refresh(long studyId, Trial added, StudySpec spec, FrontRuns current) {
        List<Trial> before = current.firsts();
        if (before.stream().anyMatch(t -> t.id() == added.id())) {
            return false; // a recomputation (settle) took it in before its own update came
        }
        Map<Long, List<Trial>> beforeRuns = current.runs();
        List<Trial> beforeMeans = current.means();
        List<Trial> updated = null;
        if (added.isRepeat()) {
            List<Trial> own = trials.repeats(List.of(added.repeatOf()));
            if (own.stream().allMatch(t -> t.state().isFinished())) {
                updated = settled(studyId, spec, before, beforeRuns, beforeMeans, added.repeatOf(), own);
            }
        } else if (spec.evaluation().repeats() == 1) {
            List<Trial> candidates = new ArrayList<>(beforeMeans);
            candidates.add(added);
            updated = nonDominated(spec, candidates);
        } else {
            List<Trial> rivals = new ArrayList<>(beforeMeans);
            rivals.addAll(means(trials.racing(studyId)));
            rivals.add(added);
            if (nonDominated(spec, rivals).stream().anyMatch(t -> t.id() == added.id())) {
                if (!race(studyId, spec, added, "would enter the front")) {
                    rivals = new ArrayList<>(beforeMeans); // no budget left to race: it competes on one run
                    rivals.add(added);
                    updated = nonDominated(spec, rivals);
                }
            } else if (challengesReference(studyId, spec, added)) {
                race(studyId, spec, added, "would become a task's single-task reference");
            }
        }
        boolean changed = updated != null
                && !updated.stream().map(Trial::id).toList().equals(before.stream().map(Trial::id).toList());
        if (changed) {
            fronts.replaceFront(studyId, updated.stream().map(Trial::id).toList());
        }
        return changed || added.isRepeat(); // a repeat may have raced a member or added to its runs
    }

    /**
     * The front once the configuration of first run {@code firstId} settled (its last repeat finished).
     * The front is the non-dominated part of the settled configurations, and a racing one is not among
     * them: while this one raced it kept nothing off the front. So when every member is settled and this
     * one was not a member, the front with it is the non-dominated part of the old front plus its means,
     * read from the front alone rather than from the whole study. A member of that front with fewer runs
     * than the study asks races first, as {@link #recompute} would send it; when it does (it leaves the
     * settled ones), when this one was a member (confirmed on more runs, its means may have fallen), or
     * when a member has runs open, the front is recomputed from every settled configuration.
     */
    private List<Trial> settled(long studyId, StudySpec spec, List<Trial> before, Map<Long, List<Trial>> beforeRuns,
                                List<Trial> beforeMeans, long firstId, List<Trial> own) {
        boolean open = beforeRuns.values().stream().flatMap(List::stream).anyMatch(t -> !t.state().isFinished());
        Trial first = trials.find(firstId).orElseThrow();
        if (open || before.stream().anyMatch(t -> t.id() == firstId) || first.state() != TrialState.COMPLETE
                || first.results().isEmpty()) {
            return recompute(studyId, spec);
        }
        List<Trial> candidates = new ArrayList<>(beforeMeans);
        candidates.add(Runs.of(first, own).mean());
        List<Trial> front = nonDominated(spec, candidates);
        Map<Long, List<Trial>> runs = new HashMap<>(beforeRuns);
        runs.put(firstId, own);
        Map<Long, Trial> firsts = new HashMap<>();
        before.forEach(t -> firsts.put(t.id(), t));
        firsts.put(firstId, first);
        List<Trial> rivals = new ArrayList<>(front);
        rivals.addAll(means(trials.racing(studyId)));
        Set<Long> members = new HashSet<>(front.stream().map(Trial::id).toList());
        for (Trial t : nonDominated(spec, rivals)) {
            if (members.contains(t.id()) && complete(t, runs) < spec.evaluation().repeats()
                    && race(studyId, spec, firsts.get(t.id()), "is on the front with fewer runs than the study asks")) {
                return recompute(studyId, spec);
            }
        }
        return front;
    }

    /**
     * Whether a first run that trains some task alone beats that task's reference on validation on its one
     * run: it races then, so that a reference rests on as many runs, on the same replicates, as the
     * configurations compared with it.
     */
    private boolean challengesReference(long studyId, StudySpec spec, Trial first) {
        boolean aloneAndAhead = IntStream.range(0, spec.tasks().size())
                .anyMatch(i -> References.alone(first.candidate(), i)
                        && first.results().stream().anyMatch(r -> r.task().equals(spec.tasks().get(i).name())
                                && r.validation().delta() > 0));
        return aloneAndAhead && !references.of(studyId, spec).challenged(first).isEmpty();
    }

    /** The study's references as the completion path knows them ({@link ReferenceTracker}). */
    References references(long studyId, StudySpec spec) {
        return references.of(studyId, spec);
    }

    /**
     * Brings the references the completion path reads up to date from what committed, so that its reads
     * in the transaction read only what changed since: call before the transaction writes anything. Only
     * where a study races ({@code evaluation.repeats} above 1); without racing the completion path never
     * reads them.
     */
    void refreshReferences(long studyId, StudySpec spec) {
        if (spec.evaluation().repeats() > 1) {
            references.refresh(studyId, spec);
        }
    }

    /**
     * Adds the repeats a configuration lacks, as many as the trial budget allows.
     * @param why what it races for, for the log
     * @return false when none could be added (the budget is spent or it has all its runs)
     */
    private boolean race(long studyId, StudySpec spec, Trial first, String why) {
        if (studies.get(studyId).state() != StudyState.RUNNING) {
            return false; // a stopped study runs nothing more: it competes on the runs it has
        }
        List<Trial> repeats = trials.repeats(List.of(first.id()));
        long lost = repeats.stream().filter(t -> t.state() == TrialState.FAILED || t.state() == TrialState.PRUNED).count();
        if (lost >= spec.evaluation().repeats()) {
            return false; // as many repeats lost as it asks for: racing it again would only burn budget
        }
        int held = (first.state() == TrialState.COMPLETE ? 1 : 0) + (int) (repeats.size() - lost);
        int count = spec.evaluation().repeats() - held;
        if (count <= 0) {
            return false;
        }
        List<Trial> added = trials.insertRepeats(first, count, spec.budget().maxTrials(), clock.instant());
        if (added.isEmpty()) {
            return false;
        }
        count = added.size();
        LOG.infof("Study %d: trial %d %s; racing it on %d more run(s) first", studyId, first.number(), why, count);
        return true;
    }

    /**
     * The front of every settled configuration (complete first runs whose repeats have all finished), after
     * sending members with fewer complete runs than the study asks to race while the budget allows: who
     * races is decided against settled and racing configurations alike, the front is made of settled ones.
     *
     * <p>Reads the study {@link #PAGE} finished trials at a time and keeps only the non-dominated
     * configurations ({@link StreamedFront}), so it holds the front, not the study, and costs
     * {@code O(configurations · front)}. The settled members of the front of settled and racing
     * configurations alike are the ones that may race, in number order; when one does, it leaves the
     * settled ones, and the configurations only it dominated may return: the study is read once more
     * without it.
     */
    private List<Trial> recompute(long studyId, StudySpec spec) {
        List<Trial> racing = means(trials.racing(studyId));
        StreamedFront rivals = new StreamedFront(spec);
        StreamedFront settled = new StreamedFront(spec);
        settledConfigurations(studyId, Set.of(), (mean, first) -> {
            rivals.offer(mean, first);
            settled.offer(mean, first);
        });
        racing.forEach(t -> rivals.offer(t, null));
        Set<Long> raced = new HashSet<>();
        for (StreamedFront.Entry e : rivals.entries()) {
            if (e.tag() instanceof Settled s && s.completeRuns() < spec.evaluation().repeats()
                    && race(studyId, spec, s.first(), "is on the front with fewer runs than the study asks")) {
                raced.add(s.first().id());
            }
        }
        if (raced.isEmpty()) {
            return settled.trials();
        }
        StreamedFront without = new StreamedFront(spec);
        settledConfigurations(studyId, raced, without::offer);
        return without.trials();
    }

    /** Finished trials read at a time by {@link #recompute}. */
    private static final int PAGE = 5_000;

    /** A settled configuration's first run and its complete runs, as {@link #recompute} tags it. */
    private record Settled(Trial first, int completeRuns) {
    }

    /**
     * Hands each settled configuration of the study but {@code except} (by first run), in number order, to
     * {@code sink} as its means over complete runs and its {@link Settled} tag, reading a page at a time.
     */
    private void settledConfigurations(long studyId, Set<Long> except,
                                       BiConsumer<Trial, Settled> sink) {
        for (List<Trial> page : trials.finishedPages(studyId, PAGE)) {
            List<Trial> firsts = page.stream().filter(t -> !t.isRepeat() && t.state() == TrialState.COMPLETE
                    && !t.results().isEmpty() && !except.contains(t.id())).toList();
            Map<Long, List<Trial>> repeats = Runs.byFirstRun(trials.repeats(firsts.stream().map(Trial::id).toList()));
            for (Trial first : firsts) {
                List<Trial> own = repeats.getOrDefault(first.id(), List.of());
                if (own.stream().allMatch(t -> t.state().isFinished())) {
                    sink.accept(Runs.of(first, own).mean(), new Settled(first, complete(first, repeats)));
                }
            }
        }
    }

    /** Complete runs of a configuration: its first run and its complete repeats. */
    private static int complete(Trial first, Map<Long, List<Trial>> repeats) {
        return 1 + (int) repeats.getOrDefault(first.id(), List.of()).stream()
                .filter(t -> t.state() == TrialState.COMPLETE).count();
    }

    /**
     * Recomputes a study's front after a configuration's last open repeat ended without completing (failed,
     * pruned, expired) or the study stopped, in a transaction of its own: the completion path does this for
     * repeats that complete.
     */
    void settleAfter(Trial repeat) {
        QuarkusTransaction.requiringNew().run(() -> {
            if (trials.repeats(List.of(repeat.repeatOf())).stream().allMatch(r -> r.state().isFinished())) {
                settle(repeat.studyId());
            }
        });
    }

    /**
     * Recomputes a study's front from its settled configurations, in the caller's transaction (which
     * must not hold the study's row from another connection: the front lock is that row).
     */
    void settle(long studyId) {
        StudySpec spec = studies.spec(studyId);
        fronts.lockFront(studyId);
        List<Trial> updated = recompute(studyId, spec);
        List<Long> ids = updated.stream().map(Trial::id).toList();
        if (!ids.equals(fronts.front(studyId).stream().map(Trial::id).toList())) {
            fronts.replaceFront(studyId, ids);
            fronts.markFront(studyId, clock.instant());
            hypervolumes.changed(studyId);
            LOG.infof("Study %d: front recomputed after a configuration settled: %d member(s)", studyId, ids.size());
        }
    }

    /** Front members with the means over their complete runs. */
    private List<Trial> means(List<Trial> firsts) {
        return Runs.ofEach(firsts, trials.repeats(firsts.stream().map(Trial::id).toList())).stream()
                .map(Runs::mean).toList();
    }

    /** The non-dominated acceptable trials, or the non-dominated complete ones while none is acceptable. */
    private static List<Trial> nonDominated(StudySpec spec, List<Trial> candidates) {
        StreamedFront front = new StreamedFront(spec);
        candidates.forEach(t -> front.offer(t, null));
        return front.trials();
    }
}

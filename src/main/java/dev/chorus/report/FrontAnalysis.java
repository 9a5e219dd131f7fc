package dev.chorus.report;

import dev.chorus.coordinator.ConfirmationTarget;
import dev.chorus.mtl.Candidate;
import dev.chorus.mtl.Task;
import dev.chorus.mtl.TrainSettings;
import dev.chorus.search.Hypervolume;
import dev.chorus.spec.StudySpec;
import dev.chorus.study.Objectives;
import dev.chorus.study.ReferenceTracker;
import dev.chorus.study.Study;
import dev.chorus.study.StudyCache;
import dev.chorus.study.StudyService;
import dev.chorus.trial.FrontStore;
import dev.chorus.trial.References;
import dev.chorus.trial.Runs;
import dev.chorus.trial.Trial;
import dev.chorus.trial.TrialState;
import dev.chorus.trial.TrialStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongFunction;

/** Builds the read-only views of a study's results. */
@ApplicationScoped
public class FrontAnalysis {

    private final StudyService studies;
    private final TrialStore trials;
    private final FrontStore fronts;
    private final ReferenceTracker references;
    private final StudyCache<SummaryKey, Summary> summaries = new StudyCache<>(SUMMARIES);

    /** Studies whose {@link Summary} is held: more than a page of the studies list. */
    static final int SUMMARIES = 256;

    FrontAnalysis(StudyService studies, TrialStore trials, FrontStore fronts, ReferenceTracker references) {
        this.studies = studies;
        this.trials = trials;
        this.fronts = fronts;
        this.references = references;
    }

    /**
     * What changes whenever a study's {@link Summary} can: its trial counts move when a trial (first run or
     * repeat) finishes or is added, which moves the runs and the references; the front's members change
     * when the front takes a completion in (a transaction after the completion's) or a configuration
     * settles.
     */
    private record SummaryKey(TrialStore.Counts counts, List<Long> front) {
    }

    /**
     * What the studies list shows of a study's results, from one read of its front and the front's runs.
     *
     * @param box         the reference box of the current front, or null while it is empty
     * @param recommended the recommended configuration, or null while there is none
     */
    private record Summary(ReferenceBox box, ParetoFront.Member recommended) {
    }

    /**
     * The study's summary, computed again only when its {@link SummaryKey} moved.
     *
     * @param counts the study's trial counts, read before anything the summary is computed from
     */
    private Summary summary(long studyId, TrialStore.Counts counts) {
        SummaryKey key = new SummaryKey(counts, fronts.frontIds(studyId));
        return summaries.get(studyId, key, () -> {
            StudySpec spec = studies.spec(studyId);
            List<Runs> runs = frontRuns(studyId);
            ParetoFront front = front(studyId, spec, runs);
            return new Summary(box(spec, runs), recommendation(studyId, front).fewestModels());
        });
    }

    /**
     * The hypervolume of a study's front after each completed trial, and each as a share of the study's
     * reference box. Objectives: each task's validation delta against its baseline in percent (reference
     * -100), then minus the number of models when the study minimises it (reference: one more model than
     * tasks). The box runs from the reference point to the ideal point of the current front (the best of
     * each objective over its members; the front is kept among the acceptable trials when any exists), and
     * every stored value is divided by that one box (see {@link ReferenceBox}). Computed after each
     * completion, off its path, by {@link Hypervolume#estimate}: exact while that stays within its work
     * budget, else a seeded Monte-Carlo estimate whose 95 % bound each point carries. Up to
     * {@value Objectives#MAX_HYPERVOLUME_OBJECTIVES} objectives; a study with more has no history and says so.
     * The history may lag the front by the computation under way.
     */
    public HypervolumeHistory hypervolume(long studyId) {
        return hypervolume(studyId, fronts::hypervolume);
    }

    /**
     * {@link #hypervolume(long)} with at most about {@code maxPoints} points, read in time that does not
     * grow with the history: see {@link FrontStore#hypervolume(long, int)} for which points are kept.
     */
    public HypervolumeHistory hypervolume(long studyId, int maxPoints) {
        return hypervolume(studyId, id -> fronts.hypervolume(id, maxPoints));
    }

    private HypervolumeHistory hypervolume(long studyId, LongFunction<List<FrontStore.HypervolumePoint>> read) {
        StudySpec spec = studies.spec(studyId);
        List<String> objectives = new ArrayList<>();
        spec.tasks().forEach(t -> objectives.add(t.name() + " validation delta %"));
        if (spec.modelsObjective()) {
            objectives.add("-models");
        }
        boolean computed = objectives.size() <= Objectives.MAX_HYPERVOLUME_OBJECTIVES;
        // the history before the front: a trial completing in between grows the box, never a value past it
        List<FrontStore.HypervolumePoint> stored = read.apply(studyId);
        ReferenceBox box = box(spec, frontRuns(studyId));
        return new HypervolumeHistory(studyId, objectives, Objectives.hypervolumeReference(spec),
                box == null ? null : box.ideal(), box == null ? null : box.volume(), computed ? METHOD
                : "not computed: " + objectives.size() + " objectives, computed only up to "
                + Objectives.MAX_HYPERVOLUME_OBJECTIVES, stored.stream().map(p -> point(p, box)).toList());
    }

    /** How the hypervolume and its share are computed, in words. */
    static final String METHOD = String.format(Locale.ROOT, "exact (a sweep for 2 objectives, HV3D for 3, WFG "
            + "above) while that costs at most %,d steps, else a Monte-Carlo estimate from %,d seeded points with "
            + "its 95 %% bound (each point says which); share = hypervolume / volume of the box from the "
            + "reference point to the ideal point (best of each objective) of the current front",
            Hypervolume.EXACT_WORK, Hypervolume.SAMPLES);

    private static HypervolumeHistory.Point point(FrontStore.HypervolumePoint p, ReferenceBox box) {
        return new HypervolumeHistory.Point(p.trials(), p.trialId(), p.value(), box == null ? null
                : box.share(p.value()), p.exact(), p.error95(), box == null ? null : p.error95() / box.volume());
    }

    /**
     * The latest point of a study's hypervolume history, its share of the current reference box with its
     * bound, as in {@link #hypervolume}; empty before a trial completes or when it is not computed.
     */
    public Optional<HypervolumeHistory.Point> latestHypervolume(long studyId) {
        return Optional.ofNullable(glance(studyId, trials.counts(studyId)).hypervolume());
    }

    /**
     * What a list of studies shows of a study's results.
     *
     * @param hypervolume the latest hypervolume point, as {@link #latestHypervolume}; null when there is none
     * @param recommended the recommended configuration, as {@link #recommended}; null when there is none
     */
    public record Glance(HypervolumeHistory.Point hypervolume, ParetoFront.Member recommended) {
    }

    /**
     * {@link #latestHypervolume} and {@link #recommended} in one: two index reads (the last point, the front's
     * ids) while the study's counts and front stay as they were.
     *
     * @param counts the study's trial counts, just read by the caller
     */
    public Glance glance(long studyId, TrialStore.Counts counts) {
        Optional<FrontStore.HypervolumePoint> last = fronts.lastHypervolume(studyId);
        Summary summary = summary(studyId, counts);
        ReferenceBox box = summary.box();
        return new Glance(box == null ? null : last.map(p -> point(p, box)).orElse(null), summary.recommended());
    }

    /** The box of a study's current front (its runs), or null while the front is empty. */
    private static ReferenceBox box(StudySpec spec, List<Runs> frontRuns) {
        return ReferenceBox.of(frontRuns.stream().map(r -> Objectives.forHypervolume(spec, r.mean())).toList(),
                Objectives.hypervolumeReference(spec));
    }

    /** The front's configurations with their runs: the means over these are what the front was chosen by. */
    private List<Runs> frontRuns(long studyId) {
        List<Trial> firsts = fronts.front(studyId);
        return Runs.ofEach(firsts, trials.repeats(firsts.stream().map(Trial::id).toList()));
    }

    /**
     * The configuration the report recommends first: the front member that meets the study's acceptance
     * policy with the fewest models (best Δm among equals); empty while there is none. Read again only
     * when the study's trial counts or its front's members moved.
     */
    public Optional<ParetoFront.Member> recommended(long studyId) {
        return Optional.ofNullable(summary(studyId, trials.counts(studyId)).recommended());
    }

    /** What the report recommends for the study now, with what the data lets it claim. */
    public ParetoReport.Recommendation recommendation(long studyId) {
        return recommendation(studyId, front(studyId));
    }

    /** As {@link #recommendation(long)}, from the study's front already read. */
    public ParetoReport.Recommendation recommendation(long studyId, ParetoFront front) {
        StudySpec spec = studies.spec(studyId);
        return Recommendations.of(front.members(), policy(spec), spec.tasks().size(), spec.modelsObjective(),
                spec.evaluation().repeats(), spec.evaluation().confirm(), front.references(), front.tuning());
    }

    /**
     * What the study's answer is confirmed on (see {@link dev.chorus.coordinator.ConfirmationTarget.Plan}):
     * the shortlist, the separate twins of its members that share a model and gain on validation, with
     * {@code evaluation.tuned-twins} the tuned twins of its members that share a model ({@link #tunedTwin}),
     * trained ones to confirm and the others missing; then each task's tuned reference that is a
     * configuration of the study; nothing while the shortlist is empty.
     */
    public ConfirmationTarget.Plan confirmationPlan(long studyId) {
        StudySpec spec = studies.spec(studyId);
        ParetoFront front = front(studyId);
        List<ParetoFront.Member> shortlist = Recommendations.shortlist(front.members(), spec.evaluation().repeats());
        if (shortlist.isEmpty()) {
            return ConfirmationTarget.Plan.NONE;
        }
        Map<Long, Trial> confirm = new LinkedHashMap<>();
        LinkedHashSet<Candidate> missing = new LinkedHashSet<>();
        for (ParetoFront.Member m : shortlist) {
            Trial first = trials.find(m.trialId()).orElseThrow();
            confirm.put(first.id(), first);
            if (first.candidate().shares()) {
                if (m.sharingDeltaM() > 0) {
                    twin(studyId, first.candidate().separated(), confirm, missing);
                }
                if (spec.evaluation().tunedTwins()) {
                    tunedTwin(first.candidate(), spec, front.references(),
                            trialId -> trials.find(trialId).orElseThrow().candidate().settings())
                            .ifPresent(twin -> twin(studyId, twin, confirm, missing));
                }
            }
        }
        front.references().stream().filter(r -> !r.fixedBaseline() && !confirm.containsKey(r.trialId()))
                .forEach(r -> confirm.put(r.trialId(), trials.find(r.trialId()).orElseThrow()));
        return new ConfirmationTarget.Plan(List.copyOf(confirm.values()), List.copyOf(missing));
    }

    /** A twin to confirm when its first run is complete, or missing when it has none (a lost one is not tried again). */
    private void twin(long studyId, Candidate twin, Map<Long, Trial> confirm, LinkedHashSet<Candidate> missing) {
        Optional<Trial> trained = trials.firstRun(studyId, twin);
        if (trained.isEmpty()) {
            missing.add(twin);
        } else if (trained.get().state() == TrialState.COMPLETE) {
            confirm.putIfAbsent(trained.get().id(), trained.get());
        }
    }

    /**
     * The tuned twin of a candidate that shares a model: its grouping, weighting and architecture with the
     * training settings that the tuned references of its shared tasks use most (the fixed baseline's for a task
     * whose reference it is; ties go to the task first in the study's order). Empty when those are its own
     * settings already. A reference is chosen per task over every configuration the study tried, so without
     * it a shared grouping competes with the settings it happened to be tried with against references tuned
     * over all of them.
     *
     * @param settingsOf the training settings of a reference's configuration, by its trial id
     */
    static Optional<Candidate> tunedTwin(Candidate candidate, StudySpec spec, List<References.Reference> references,
                                         LongFunction<TrainSettings> settingsOf) {
        Map<String, References.Reference> byTask = new LinkedHashMap<>();
        references.forEach(r -> byTask.put(r.task(), r));
        Map<TrainSettings, Integer> votes = new LinkedHashMap<>(); // in the study's task order
        List<Integer> groups = candidate.groups();
        for (int task = 0; task < groups.size(); task++) {
            References.Reference r = byTask.get(spec.tasks().get(task).name());
            if (r != null && Collections.frequency(groups, groups.get(task)) > 1) { // a task that shares
                votes.merge(r.fixedBaseline() ? spec.baseline() : settingsOf.apply(r.trialId()), 1, Integer::sum);
            }
        }
        return votes.entrySet().stream().max(Map.Entry.comparingByValue()) // the first of equals: max keeps it
                .map(Map.Entry::getKey).filter(s -> !s.equals(candidate.settings()))
                .map(candidate::withSettings);
    }

    /**
     * The stability check of the study's recommendation: where it stands, and each variant against the
     * recommendation, run for run.
     */
    public ParetoReport.Stability stability(long studyId, ParetoReport.Recommendation recommendation) {
        StudySpec spec = studies.spec(studyId);
        ParetoFront.Member m = recommendation.fewestModels();
        if (m == null) {
            return StabilityCheck.without("none", null, "Nothing to check: nothing is recommended.");
        }
        if (!spec.evaluation().stability()) {
            return StabilityCheck.without("off", m.number(), "Off: the study's evaluation.stability is false.");
        }
        Trial first = trials.find(m.trialId()).orElseThrow();
        Runs runs = Runs.of(first, trials.repeats(List.of(first.id())));
        boolean over = studies.get(studyId).state().isFinished();
        List<Trial> variants = trials.variants(studyId);
        // the references are read only when there is something to compare with them
        return StabilityCheck.of(runs, variants, variants.isEmpty() ? null : this.references.of(studyId, spec),
                over);
    }

    /** The study's acceptance policy in words. */
    static String policy(StudySpec spec) {
        return spec.constraints().maxTaskLoss() == null ? "none: every complete trial is acceptable"
                : String.format(Locale.ROOT, "no task more than %s%% worse than its baseline on validation",
                        spec.constraints().maxTaskLoss());
    }

    private static ParetoFront.Member member(Study study, StudySpec spec, Runs runs, References references) {
        Trial t = runs.mean();
        return new ParetoFront.Member(t.id(), t.number(), t.candidate().groupCount(),
                t.candidate().members().stream()
                        .map(g -> g.stream().map(i -> study.tasks().get(i).name()).toList()).toList(),
                t.candidate().weighting().id(), t.deltaM(), t.testDeltaM(), t.results(),
                spec.constraints().violations(t.results()), runs.count(), runs.deltaM(), runs.testDeltaM(),
                runs.deltas(), references.sharing(runs));
    }

    /**
     * The study's current Pareto front (empty until a configuration has settled): each member's numbers
     * are the means over its complete runs, with their intervals, against the fixed baselines and against
     * the tuned references (see {@link References}).
     */
    public ParetoFront front(long studyId) {
        StudySpec spec = studies.spec(studyId);
        return front(studyId, spec, frontRuns(studyId));
    }

    private ParetoFront front(long studyId, StudySpec spec, List<Runs> frontRuns) {
        Study study = studies.get(studyId);
        List<String> objectives = new ArrayList<>();
        for (Task t : spec.tasks()) {
            objectives.add(t.name() + " validation Δ % of " + t.metric().id() + " (max)");
        }
        if (spec.modelsObjective()) {
            objectives.add("models (min)");
        }
        References references = this.references.of(studyId, spec);
        List<ParetoFront.Member> members = frontRuns.stream()
                .map(runs -> member(study, spec, runs, references))
                .sorted(Comparator.comparingDouble(ParetoFront.Member::deltaM).reversed())
                .toList();
        return new ParetoFront(studyId, objectives, members, references.describe(),
                references.tuning().orElse(null));
    }
}

package dev.chorus.report;

import dev.chorus.error.StudyNotFoundException;
import dev.chorus.mtl.Task;
import dev.chorus.report.ParetoReport.Baseline;
import dev.chorus.spec.StudySpec;
import dev.chorus.study.Configurations;
import dev.chorus.study.Study;
import dev.chorus.study.StudyService;
import dev.chorus.study.StudyStore;
import dev.chorus.trial.BaselineStore;
import dev.chorus.trial.TaskResult;
import dev.chorus.trial.Trial;
import dev.chorus.trial.TrialState;
import dev.chorus.trial.TrialStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Assembles a study's {@link ParetoReport} from the stores. Thread-safe; reads only. */
@ApplicationScoped
public class ReportBuilder {

    private final StudyService studies;
    private final StudyStore studyStore;
    private final TrialStore trials;
    private final BaselineStore baselines;
    private final FrontAnalysis analysis;
    private final InstantSource clock;
    private final String version;

    ReportBuilder(StudyService studies, StudyStore studyStore, TrialStore trials, BaselineStore baselines,
                  FrontAnalysis analysis, InstantSource clock,
                  @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev") String version) {
        this.studies = studies;
        this.studyStore = studyStore;
        this.trials = trials;
        this.baselines = baselines;
        this.analysis = analysis;
        this.clock = clock;
        this.version = version;
    }

    public ParetoReport build(long studyId) {
        Study study = studies.get(studyId);
        StudySpec spec = studies.spec(studyId);
        StudyService.Progress progress = studies.progress(studyId);
        List<String> tasks = spec.tasks().stream().map(Task::name).toList();
        Scan scan = scan(studyId, tasks);
        String policy = FrontAnalysis.policy(spec);
        ParetoReport.Study about = new ParetoReport.Study(study.id(), study.name(), study.state().name()
                .toLowerCase(Locale.ROOT), study.specYaml(), tasks, progress.finished(), scan.complete(),
                progress.budget(), policy);
        ParetoFront paretoFront = analysis.front(studyId);
        List<ParetoFront.Member> front = paretoFront.members();
        ParetoReport.Recommendation recommendation = analysis.recommendation(studyId, paretoFront);
        return new ParetoReport(about, baselines(spec, scan.baselineHashes()), paretoFront.references(), front,
                recommendation, analysis.stability(studyId, recommendation), scan.transfer().findings(),
                affinity(studyId), analysis.hypervolume(studyId, HYPERVOLUME_POINTS), reproduction(studyId, spec),
                clock.instant());
    }

    /** Points of the hypervolume history a report carries at most: a chart's worth (as the dashboard's). */
    static final int HYPERVOLUME_POINTS = 2_000;

    /**
     * What the report reads off every finished trial.
     *
     * @param complete       complete trials, repeats included
     * @param baselineHashes per task, the baseline its first runs were compared with
     * @param transfer       negative transfer over the complete first runs
     */
    private record Scan(int complete, Map<String, String> baselineHashes, NegativeTransfer transfer) {
    }

    /**
     * One pass over the study's finished trials, {@link Configurations#CHUNK} at a time, so that a study of
     * any size never sits in memory whole.
     */
    private Scan scan(long studyId, List<String> tasks) {
        int complete = 0;
        Map<String, String> hashes = new LinkedHashMap<>();
        NegativeTransfer transfer = new NegativeTransfer(tasks);
        for (List<Trial> page : trials.finishedPages(studyId, Configurations.CHUNK)) {
            for (Trial t : page) {
                complete += t.state() == TrialState.COMPLETE ? 1 : 0;
                if (t.isRepeat()) {
                    continue; // one value per configuration: repeats are correlated re-measurements
                }
                for (TaskResult r : t.results()) {
                    if (r.baselineHash() != null) {
                        hashes.putIfAbsent(r.task(), r.baselineHash());
                    }
                }
                transfer.add(t);
            }
        }
        return new Scan(complete, hashes, transfer);
    }

    /**
     * Each task's baseline of first runs (replicate 0: the study's seed, and the stored split or fold 0;
     * all first runs use the same one per task). Each repeat is compared with baselines of its own, trained alike.
     */
    private List<Baseline> baselines(StudySpec spec, Map<String, String> hashes) {
        List<Baseline> out = new ArrayList<>();
        for (Task task : spec.tasks()) {
            String hash = hashes.get(task.name());
            if (hash != null) {
                baselines.find(hash).ifPresent(b -> out.add(new Baseline(task.name(), task.metric().id(),
                        task.direction().name().toLowerCase(Locale.ROOT), b.validation(), b.test(), hash)));
            }
        }
        return out;
    }

    private ParetoReport.Affinity affinity(long studyId) {
        try {
            StudyService.Affinity a = studies.affinity(studyId);
            return new ParetoReport.Affinity(a.tasks(), a.affinity());
        } catch (StudyNotFoundException none) {
            return new ParetoReport.Affinity(List.of(), null);
        }
    }

    private ParetoReport.Reproduction reproduction(long studyId, StudySpec spec) {
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("chorus", version);
        versions.put("java", Runtime.version().toString());
        versions.put("djl", packageVersion("ai.djl.engine.Engine"));
        versions.put("pytorch-native", packageVersion("ai.djl.pytorch.jni.LibUtils"));
        String dataHash = studyStore.split(studyId).map(StudyStore.StoredSplit::dataHash).orElse("(not split yet)");
        Integer folds;
        String seeds;
        try {
            folds = studies.folds(studyId);
            seeds = trialSeeds(spec.seed(), folds);
        } catch (RuntimeException unreadable) { // the data moved or changed since: the report still serves
            folds = null;
            seeds = seeds(spec.seed()) + "the rows of each run are unknown: the study's data cannot be loaded ("
                    + unreadable.getMessage() + ")";
        }
        return new ParetoReport.Reproduction(spec.seed(), seeds, folds, dataHash, versions);
    }

    /** How each run's seed and rows follow from the study's seed and folds ({@code Replicates}). */
    private static String trialSeeds(long seed, int folds) {
        if (folds > 0) {
            return seeds(seed) + "k-fold cross-validation, k = " + folds + ": all rows are cut into " + folds
                    + " folds by seed " + seed + ", replicate r tests on fold r mod " + folds
                    + " and trains and validates on a 3:1 draw of the other rows by its own seed";
        }
        return seeds(seed) + "replicate 0 on the stored split, a repeat on a resample of the stored train and validation "
                + "rows (test rows unchanged)";
    }

    private static String seeds(long seed) {
        return "replicate 0 (a configuration's first run) trains with seed " + seed + ", replicate r > 0 (a repeat) "
                + "with seed " + seed + " × 1000003 + r, and the baselines it is compared with alike on the same rows "
                + "(paired); ";
    }

    private static String packageVersion(String className) {
        try {
            Package p = Class.forName(className).getPackage();
            return p.getImplementationVersion() != null ? p.getImplementationVersion() : "unknown";
        } catch (ClassNotFoundException e) {
            return "absent";
        }
    }
}

package dev.chorus.worker;

import dev.chorus.dispatch.AssignmentRunner;
import dev.chorus.dispatch.TrialProtocol;
import dev.chorus.dispatch.TrialProtocol.Assignment;
import dev.chorus.dispatch.TrialProtocol.Completion;
import dev.chorus.dispatch.TrialProtocol.NewBaseline;
import dev.chorus.dispatch.TrialProtocol.Result;
import dev.chorus.dispatch.TrialProtocol.SplitRows;
import dev.chorus.mtl.Candidate;
import dev.chorus.mtl.Task;
import dev.chorus.mtl.data.Dataset;
import dev.chorus.mtl.data.Datasets;
import dev.chorus.mtl.data.Split;
import dev.chorus.mtl.train.EpochObserver;
import dev.chorus.mtl.train.GroupResult;
import dev.chorus.mtl.train.ModelSize;
import dev.chorus.mtl.train.ModelSpec;
import dev.chorus.mtl.train.MtlTrainer;
import dev.chorus.spec.SpecParser;
import dev.chorus.spec.StudySpec;
import dev.chorus.study.BaselineKeys;
import dev.chorus.study.Replicates;
import dev.chorus.study.StudyRows;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The worker's side of a trial: loads the study's rows (checked against the coordinator's data
 * hash) and the rows of replicate 0 from the coordinator, derives the run's own rows from them
 * ({@link Replicates}: a resample for a repeat, or the replicate's fold), trains one model per group of the candidate, reports each epoch's
 * validation values (stopping when the pruner says so), and trains the single-task baselines the
 * coordinator does not have yet. Every task's result carries its metric on the validation rows at the
 * epoch kept and on the test rows for the same parameters. Needs no database: everything comes through the protocol.
 *
 * @implNote Safe for one worker thread; training inside one JVM is serial anyway ({@link MtlTrainer}).
 */
@Singleton
public final class TrialTraining implements AssignmentRunner {

    private static final Logger LOG = Logger.getLogger(TrialTraining.class);
    private static final int CACHED_STUDIES = 4;

    private final MtlTrainer trainer = new MtlTrainer();
    private final Map<String, Loaded> loaded = new ConcurrentHashMap<>();

    private record Loaded(StudySpec spec, StudyRows prepared) {
    }

    @Override
    public Outcome run(Assignment a, TrialProtocol coordinator) {
        Loaded study = load(a, coordinator);
        StudySpec spec = study.spec();
        StudyRows prepared = study.prepared().replicate(spec, a.replicate());
        Candidate candidate = a.candidate();
        checkSize(spec, prepared, candidate);
        Map<String, Double> validation = new LinkedHashMap<>();
        Map<String, Double> test = new LinkedHashMap<>();
        for (List<Integer> group : candidate.members()) {
            List<Task> tasks = group.stream().map(spec.tasks()::get).toList();
            EpochObserver observer = (epoch, values) -> coordinator.report(a.trialId(), a.claim(), epoch, values);
            GroupResult r = trainer.train(prepared.dataset(), prepared.split(), tasks,
                    BaselineKeys.model(spec, ModelSpec.of(candidate, group)), a.seed(), observer);
            if (r.pruned()) {
                return new Outcome.Pruned();
            }
            validation.putAll(r.validationMetrics());
            test.putAll(r.testMetrics());
        }
        List<Result> results = new ArrayList<>();
        List<NewBaseline> trained = new ArrayList<>();
        ModelSpec baselineModel = BaselineKeys.model(spec, ModelSpec.plain(spec.baseline()));
        // the coordinator computes the same keys and accepts no other (BaselineKeys)
        Map<String, String> keys = BaselineKeys.of(a.studyId(), spec, prepared, a.seed());
        for (Task task : spec.tasks()) {
            // paired: the baseline trains with the trial's own seed on the same rows (see Replicates)
            String hash = keys.get(task.name());
            if (coordinator.baseline(hash).isEmpty() && trained.stream().noneMatch(b -> b.hash().equals(hash))) {
                long start = System.nanoTime();
                GroupResult r = trainer.train(prepared.dataset(), prepared.split(), List.of(task), baselineModel,
                        a.seed());
                trained.add(new NewBaseline(hash, task.name(), r.validationMetrics().get(task.name()),
                        r.testMetrics().get(task.name()), (System.nanoTime() - start) / 1e9, spec.baseline()));
            }
            results.add(new Result(task.name(), validation.get(task.name()), test.get(task.name()), hash));
        }
        // another worker may have stored one meanwhile: a stored baseline is never replaced, and other
        // values for it (another CPU may train differently) would be refused
        trained.removeIf(b -> coordinator.baseline(b.hash()).isPresent());
        return new Outcome.Completed(new Completion(results, trained));
    }

    /** The study's spec, rows and split, loaded once per study and data version. */
    private Loaded load(Assignment a, TrialProtocol coordinator) {
        String key = a.studyId() + "/" + a.dataHash();
        Loaded cached = loaded.get(key);
        if (cached != null) {
            return cached;
        }
        StudySpec spec = SpecParser.parse(a.specYaml(), Path.of(a.baseDir()));
        Dataset data = Datasets.load(spec.dataset(), spec.tasks(), spec.seed());
        if (!data.contentHash().equals(a.dataHash())) {
            throw new IllegalStateException("this worker's copy of the data of study " + a.studyId()
                    + " differs from the coordinator's (content hash " + data.contentHash() + ", expected "
                    + a.dataHash() + "): give workers the same files under " + a.baseDir());
        }
        SplitRows rows = coordinator.split(a.studyId(), 0);
        if (!rows.dataHash().equals(a.dataHash())) {
            throw new IllegalStateException("the stored split of study " + a.studyId() + " indexes other data ("
                    + rows.dataHash() + ")");
        }
        // replicate 0's rows: the stored split, or fold 0 when cross-validating (folds depend on the rows alone)
        StudyRows base = new StudyRows(data, new Split(rows.train(), rows.validation(), rows.test()),
                Replicates.folds(spec, data));
        if (!base.replicate(spec, 0).split().equals(base.split())) {
            throw new IllegalStateException("this worker splits the rows of study " + a.studyId()
                    + " otherwise than the coordinator (" + base.folds() + " folds here): give workers the same "
                    + "Chorus version as the coordinator");
        }
        LOG.infof("Loaded the data of study %d: %d rows, %d folds", a.studyId(), data.rows(), base.folds());
        if (loaded.size() >= CACHED_STUDIES) {
            loaded.clear();
        }
        Loaded fresh = new Loaded(spec, base);
        loaded.put(key, fresh);
        return fresh;
    }

    /** Fails the trial before any training when its models are larger than the study allows. */
    private static void checkSize(StudySpec spec, StudyRows prepared, Candidate candidate) {
        Long max = spec.constraints().maxParameters();
        if (max == null) {
            return;
        }
        long total = 0;
        for (List<Integer> group : candidate.members()) {
            total += ModelSize.parameters(prepared.dataset(), group.stream().map(spec.tasks()::get).toList(),
                    BaselineKeys.model(spec, ModelSpec.of(candidate, group)));
        }
        if (total > max) {
            throw new IllegalStateException("the candidate's " + candidate.groupCount() + " model(s) have " + total
                    + " parameters, above the study's constraints.max-parameters of " + max + "; not trained");
        }
    }
}

package dev.chorus.study;

import dev.chorus.error.ConflictException;
import dev.chorus.mtl.data.Dataset;
import dev.chorus.mtl.data.Datasets;
import dev.chorus.mtl.data.Split;
import dev.chorus.spec.StudySpec;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.InstantSource;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rows, the train/validation/test split and the resolved cross-validation folds
 * ({@link Replicates#folds}) of each study, loaded once per process. The split is
 * made once, from the study's seed, and stored with the study together with the hash of the data it
 * indexes, so every trial and baseline of the study sees the same rows, in this process and later
 * ones; data that changed since is refused rather than silently split anew.
 *
 * <p>Each study's data hash and each replicate's baseline keys are kept too: computed per claim and per
 * completion, they hashed the whole dataset once per task and drew the replicate's rows anew each time
 * (a 3,000 x 48 table: 0.6 ms a hash, so about 8 ms of CPU per trial of the demo's six tasks).
 *
 * @implNote Thread-safe. Holds, per study that a trial of this process touched, its data, its split and
 *     the baseline keys of at most {@link StudySpec.Evaluation#MAX_REPEATS} replicates (and the stability
 *     check's); the data of a study are assumed not to change while the process runs (a study's spec is
 *     fixed at creation, and a changed file is refused at the next start).
 */
@ApplicationScoped
public class StudyData {

    private final StudyStore studies;
    private final InstantSource clock;

    StudyData(StudyStore studies, InstantSource clock) {
        this.studies = studies;
        this.clock = clock;
    }

    /** A study's rows, its data's content hash, and the baseline keys of each replicate asked for so far. */
    private record Prepared(StudyRows rows, String dataHash, Map<Integer, Map<String, String>> keys) {
    }

    private final Map<Long, Prepared> cache = new ConcurrentHashMap<>();

    public StudyRows of(long studyId, StudySpec spec) {
        return prepared(studyId, spec).rows();
    }

    /** The content hash of the study's data ({@link Dataset#contentHash}), checked against its stored split's. */
    public String dataHash(long studyId, StudySpec spec) {
        return prepared(studyId, spec).dataHash();
    }

    /**
     * Each task's baseline key for a run of replicate {@code replicate} of the study, in study order
     * ({@link BaselineKeys#of}): computed once per replicate.
     */
    public Map<String, String> baselineKeys(long studyId, StudySpec spec, int replicate) {
        Prepared p = prepared(studyId, spec);
        return p.keys().computeIfAbsent(replicate, r -> Collections.unmodifiableMap(BaselineKeys.of(studyId, spec,
                p.rows().replicate(spec, r), p.dataHash(), Replicates.seed(spec, r))));
    }

    private Prepared prepared(long studyId, StudySpec spec) {
        return cache.computeIfAbsent(studyId, id -> {
            Dataset data = Datasets.load(spec.dataset(), spec.tasks(), spec.seed());
            String hash = data.contentHash(); // the whole table: once
            StudyStore.StoredSplit stored = studies.split(id).orElseGet(() -> studies.saveSplit(id,
                    new StudyStore.StoredSplit(hash, Split.seeded(data.rows(), spec.seed())), clock.instant()));
            if (!stored.dataHash().equals(hash)) {
                throw new ConflictException("the data of study " + id + " changed since its split was stored "
                        + "(content hash " + stored.dataHash() + ", now " + hash + "); its trials "
                        + "would not be comparable: restore the data or create a new study");
            }
            return new Prepared(new StudyRows(data, stored.split(), Replicates.folds(spec, data)), stored.dataHash(),
                    new ConcurrentHashMap<>());
        });
    }
}

package dev.chorus.study;

import dev.chorus.error.ConflictException;
import dev.chorus.mtl.data.Dataset;
import dev.chorus.mtl.data.Datasets;
import dev.chorus.mtl.data.Split;
import dev.chorus.spec.StudySpec;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rows, the train/validation/test split and the resolved cross-validation folds
 * ({@link Replicates#folds}) of each study, loaded once per process. The split is
 * made once, from the study's seed, and stored with the study together with the hash of the data it
 * indexes, so every trial and baseline of the study sees the same rows, in this process and later
 * ones; data that changed since is refused rather than silently split anew.
 */
@ApplicationScoped
public class StudyData {

    private final StudyStore studies;
    private final InstantSource clock;

    StudyData(StudyStore studies, InstantSource clock) {
        this.studies = studies;
        this.clock = clock;
    }

    private final Map<Long, StudyRows> cache = new ConcurrentHashMap<>();

    public StudyRows of(long studyId, StudySpec spec) {
        return cache.computeIfAbsent(studyId, id -> {
            Dataset data = Datasets.load(spec.dataset(), spec.tasks(), spec.seed());
            StudyStore.StoredSplit stored = studies.split(id).orElseGet(() -> studies.saveSplit(id,
                    new StudyStore.StoredSplit(data.contentHash(), Split.seeded(data.rows(), spec.seed())),
                    clock.instant()));
            if (!stored.dataHash().equals(data.contentHash())) {
                throw new ConflictException("the data of study " + id + " changed since its split was stored "
                        + "(content hash " + stored.dataHash() + ", now " + data.contentHash() + "); its trials "
                        + "would not be comparable: restore the data or create a new study");
            }
            return new StudyRows(data, stored.split(), Replicates.folds(spec, data));
        });
    }
}

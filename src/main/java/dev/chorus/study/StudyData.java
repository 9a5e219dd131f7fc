package dev.chorus.study;

import dev.chorus.mtl.data.Dataset;
import dev.chorus.mtl.data.Datasets;
import dev.chorus.mtl.data.Split;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rows and the train/validation/test split of each study, loaded once per process. Both are
 * pure functions of the study's file and seed, so every trial and baseline sees the same rows.
 */
@ApplicationScoped
class StudyData {

    /** A study's rows with its split. */
    record Prepared(Dataset dataset, Split split) {
    }

    private final Map<Long, Prepared> cache = new ConcurrentHashMap<>();

    Prepared of(long studyId, StudySpec spec) {
        return cache.computeIfAbsent(studyId, id -> {
            Dataset data = Datasets.load(spec.dataset(), spec.tasks(), spec.seed());
            return new Prepared(data, Split.seeded(data.rows(), spec.seed()));
        });
    }
}

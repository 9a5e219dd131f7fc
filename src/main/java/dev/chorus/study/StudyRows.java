package dev.chorus.study;

import dev.chorus.mtl.data.Dataset;
import dev.chorus.mtl.data.Split;
import dev.chorus.spec.StudySpec;

/**
 * A study's rows with a split of them: what a trial or baseline of the study trains, validates and
 * tests on. The server side reads them through {@link StudyData}; a worker builds them from the rows the
 * coordinator names.
 *
 * @param split the stored split, or the rows of one replicate ({@link #replicate})
 * @param folds the study's resolved folds, 0 for none ({@link Replicates#folds})
 */
public record StudyRows(Dataset dataset, Split split, int folds) {

    /** The same rows split as replicate {@code replicate} of {@code spec} trains on ({@link Replicates}). */
    public StudyRows replicate(StudySpec spec, int replicate) {
        return new StudyRows(dataset, Replicates.split(spec, split, folds, replicate), folds);
    }
}

package dev.chorus.mtl.sampling;

import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The batches of one training epoch, as row indices into the dataset.
 *
 * <p>Two plans come from {@link #of}:
 * <ul>
 *   <li>{@code all}: the training rows, shuffled, cut into batches of {@code batchSize} (the last one
 *       may be shorter); every training row appears exactly once per epoch.</li>
 *   <li>{@code proportional} and {@code temperature}: an epoch has {@code ceil(trainRows / batchSize)}
 *       batches, as many as {@code all} gives, so epochs cost the same whatever the sampling. Each batch
 *       is drawn for one task {@code t}, chosen with probability proportional to {@code n_t^(1/T)},
 *       where {@code n_t} is the number of training rows labelled for {@code t} and {@code T} the
 *       temperature (1 for proportional). Its rows are {@code min(batchSize, n_t)} distinct rows
 *       labelled for {@code t}, taken from a per-task shuffled pass over those rows; a pass that
 *       cannot fill a whole batch is reshuffled. A batch's rows may carry other tasks' labels too: the
 *       trainer's label masks decide which losses they feed. {@code T > 1} gives small tasks more
 *       batches than their share; as {@code T} grows the choice tends to uniform over tasks. This is
 *       the temperature-based data sampling of Arivazhagan et al. 2019, "Massively Multilingual Neural
 *       Machine Translation in the Wild" (section 4.2), also used for T5's multi-task mixtures (Raffel
 *       et al. 2020, section 3.5.2).</li>
 * </ul>
 *
 * <p>Tasks with no labelled training row are never chosen.
 *
 * @implNote the plans from {@link #of} hold no mutable state and are thread-safe: an epoch depends on
 *           the {@code random} passed in alone, so the same generator state gives the same batches.
 *           They do not depend on {@code epoch}; it is there for plans that change over training.
 */
public interface BatchPlan {

    /**
     * The batches of one epoch, in training order.
     *
     * @param epoch  the epoch index, from 0
     * @param random the only source of randomness; advanced by the call
     * @return the batches; each a non-empty array of row indices
     */
    int[][] epoch(int epoch, RandomGenerator random);

    /**
     * The plan {@code spec} describes over {@code trainRows}.
     *
     * @param trainRows the training rows (indices into the dataset); copied
     * @param labels    task name to its labels over every dataset row, {@link Float#NaN} for
     *                  unlabelled; only the per-task sampling reads them, to find each task's
     *                  labelled training rows
     * @param batchSize rows per batch, positive
     * @throws IllegalArgumentException when {@code batchSize < 1}, a training row is outside a task's
     *                                  labels, or a per-task sampling finds no labelled training row
     */
    static BatchPlan of(SamplingSpec spec, int[] trainRows, Map<String, float[]> labels, int batchSize) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(trainRows, "trainRows");
        Objects.requireNonNull(labels, "labels");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        return spec.perTask()
                ? TaskSampledPlan.of(trainRows, labels, batchSize, spec.temperature())
                : new ShuffledPlan(trainRows.clone(), batchSize);
    }
}

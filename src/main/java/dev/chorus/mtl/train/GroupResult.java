package dev.chorus.mtl.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What training one model (one group of tasks) yields. Immutable; maps keep the task order.
 *
 * @param testMetrics       task name to its primary metric on the test split's labelled rows, for
 *                          the parameters of {@link #bestEpoch()} (NaN when the test split holds no
 *                          labelled row of the task, or AUC sees one class)
 * @param validationByEpoch one map per epoch run, in order: task name to its primary metric on the
 *                          validation split after that epoch, for pruning
 * @param epochsRun         epochs trained before training stopped (early or at the settings' epochs)
 * @param bestEpoch         0-based epoch whose parameters {@link #testMetrics()} scores: the one with
 *                          the best mean direction-adjusted validation metric
 * @param pruned            an {@link EpochObserver} stopped training: the validation values are what
 *                          counts, the test metrics are those of an unfinished model
 */
public record GroupResult(Map<String, Double> testMetrics, List<Map<String, Double>> validationByEpoch,
                          int epochsRun, int bestEpoch, boolean pruned) {

    /** A model that trained until early stopping or its last epoch. */
    public GroupResult(Map<String, Double> testMetrics, List<Map<String, Double>> validationByEpoch, int epochsRun,
                       int bestEpoch) {
        this(testMetrics, validationByEpoch, epochsRun, bestEpoch, false);
    }

    public GroupResult {
        testMetrics = Collections.unmodifiableMap(new LinkedHashMap<>(testMetrics));
        List<Map<String, Double>> epochs = new ArrayList<>();
        validationByEpoch.forEach(m -> epochs.add(Collections.unmodifiableMap(new LinkedHashMap<>(m))));
        validationByEpoch = Collections.unmodifiableList(epochs);
        if (epochsRun != validationByEpoch.size() || bestEpoch < 0 || bestEpoch >= epochsRun) {
            throw new IllegalArgumentException("best epoch " + bestEpoch + " of " + epochsRun + " epochs run, with "
                    + validationByEpoch.size() + " validation maps");
        }
    }

    /**
     * Each task's primary metric on the validation split for the parameters of {@link #bestEpoch()}:
     * the value that may be used to compare and choose models (early stopping already chose on it).
     */
    public Map<String, Double> validationMetrics() {
        return validationByEpoch.get(bestEpoch);
    }
}

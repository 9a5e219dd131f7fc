package dev.chorus.mtl.train;

import java.util.Map;

/**
 * Sees each epoch's validation metrics while a model trains, and may stop it: how pruners reach
 * into training.
 *
 * @apiNote Called on the training thread after every epoch; keep it quick (a few store reads).
 */
@FunctionalInterface
public interface EpochObserver {

    /** Never stops training. */
    EpochObserver NONE = (epoch, validation) -> false;

    /**
     * @param epoch      the epoch just finished, 0-based
     * @param validation task name to its primary metric on the validation split after that epoch
     * @return true to stop training now; the result is then marked {@link GroupResult#pruned()}
     */
    boolean stopAfter(int epoch, Map<String, Double> validation);
}

package dev.chorus.search;

import java.util.ArrayList;
import java.util.List;

/** See {@link Pruner#successiveHalving}. */
final class SuccessiveHalvingPruner implements Pruner {

    private final int minResource;
    private final int reductionFactor;

    SuccessiveHalvingPruner(int minResource, int reductionFactor) {
        if (minResource < 1 || reductionFactor < 2) {
            throw new IllegalArgumentException("minResource must be >= 1 and reductionFactor >= 2");
        }
        this.minResource = minResource;
        this.reductionFactor = reductionFactor;
    }

    /** Whether the epoch {@code step} (0-based) closes a rung: after minResource * factor^k epochs. */
    boolean isRung(int step) {
        long epochs = step + 1L;
        for (long rung = minResource; rung <= epochs; rung *= reductionFactor) {
            if (rung == epochs) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean prune(int step, List<double[]> current, List<List<double[]>> others) {
        if (!isRung(step)) {
            return false;
        }
        double mine = MedianPruner.mean(current.get(step));
        List<Double> rung = new ArrayList<>();
        rung.add(mine);
        for (List<double[]> curve : others) {
            if (curve.size() > step) {
                rung.add(MedianPruner.mean(curve.get(step)));
            }
        }
        // top 1/factor of the rung continue; with fewer than factor trials the best one always does
        int keep = Math.max(1, rung.size() / reductionFactor);
        rung.sort((a, b) -> Double.compare(b, a));
        return mine < rung.get(keep - 1);
    }
}

package dev.chorus.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class HypervolumeTest {

    private static double[] p(double... v) {
        return v;
    }

    @Test
    void twoDimensionalStaircase() {
        assertThat(Hypervolume.of(List.of(p(2, 1), p(1, 2)), p(0, 0))).isCloseTo(3, within(1e-12));
        assertThat(Hypervolume.of(List.of(p(3, 1), p(2, 2), p(1, 3)), p(0, 0))).isCloseTo(6, within(1e-12));
    }

    @Test
    void threeDimensionalBoxesAndUnions() {
        assertThat(Hypervolume.of(List.<double[]>of(p(1, 2, 3)), p(0, 0, 0))).isCloseTo(6, within(1e-12));
        assertThat(Hypervolume.of(List.of(p(2, 1, 1), p(1, 2, 1)), p(0, 0, 0))).isCloseTo(3, within(1e-12));
        // boxes 1x1x2 and 2x2x1 overlapping in 1x1x1: 2 + 4 - 1
        assertThat(Hypervolume.of(List.of(p(2, 2, 2), p(3, 3, 1)), p(1, 1, 0))).isCloseTo(5, within(1e-12));
    }

    @Test
    void referenceShiftsAndNegativeObjectives() {
        assertThat(Hypervolume.of(List.<double[]>of(p(-1, -2)), p(-3, -3))).isCloseTo(2, within(1e-12));
    }

    @Test
    void dominatedDuplicateAndOutsidePointsAddNothing() {
        double base = Hypervolume.of(List.of(p(2, 1), p(1, 2)), p(0, 0));
        assertThat(Hypervolume.of(List.of(p(2, 1), p(1, 2), p(1, 1), p(2, 1), p(-1, 5), p(5, 0)), p(0, 0)))
                .isCloseTo(base, within(1e-12));
        assertThat(Hypervolume.of(List.of(), p(0, 0))).isZero();
    }

    @Test
    void aDominatingFrontHasAtLeastTheVolume() {
        double worse = Hypervolume.of(List.of(p(1, 1, 1), p(0.5, 2, 0.5)), p(0, 0, 0));
        double better = Hypervolume.of(List.of(p(1, 1, 1), p(0.5, 2, 0.5), p(1.5, 0.2, 1)), p(0, 0, 0));
        assertThat(better).isGreaterThan(worse);
    }

    @Test
    void rejectsMismatchedLengths() {
        assertThatThrownBy(() -> Hypervolume.of(List.<double[]>of(p(1, 2, 3)), p(0, 0)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

package dev.chorus.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.apache.commons.math3.stat.inference.TTest;
import org.junit.jupiter.api.Test;

/** The Welch interval of a difference of means, against values computed outside Chorus. */
class WelchDifferenceTest {

    @Test
    void equalSizesAndSpreadsGiveTheTextbookInterval() {
        // By hand: means 2.5 and 1.5, both sample variances 5/3, n 4 each. Standard error
        // sqrt(5/12 + 5/12) = 0.912871; Welch-Satterthwaite df = (5/6)^2 / (2 * (5/12)^2 / 3) = 6 exactly;
        // t(0.975, 6) = 2.446912 (any t table); half-width 2.446912 * 0.912871 = 2.233715.
        WelchDifference w = WelchDifference.of(new double[] {1, 2, 3, 4}, new double[] {0, 1, 2, 3}).orElseThrow();
        assertThat(w.difference()).isEqualTo(1.0);
        assertThat(w.degreesOfFreedom()).isCloseTo(6.0, within(1e-12));
        assertThat(w.low()).isCloseTo(1 - 2.233715, within(1e-6));
        assertThat(w.high()).isCloseTo(1 + 2.233715, within(1e-6));
    }

    @Test
    void unequalSizesAndSpreadsMatchScipy() {
        // The 2-against-4 case of the issue. Reference: SciPy 1.17.1,
        // scipy.stats.ttest_ind(apart, together, equal_var=False).confidence_interval(0.95) and .df;
        // df also by hand in exact fractions: 109263675 / 49959241.
        double[] apart = {-2, 10, 0.8, 6};
        double[] together = {-12, -4.8};
        WelchDifference w = WelchDifference.of(apart, together).orElseThrow();
        assertThat(w.difference()).isCloseTo(12.1, within(1e-12));
        assertThat(w.degreesOfFreedom()).isCloseTo(109263675.0 / 49959241.0, within(1e-9));
        assertThat(w.low()).isCloseTo(-5.699566556427499, within(1e-6));
        assertThat(w.high()).isCloseTo(29.8995665564275, within(1e-6));
        // Commons Math's Welch test agrees: the interval holds zero exactly when p >= 0.05 (SciPy: p = 0.10396).
        assertThat(new TTest().tTest(apart, together)).isCloseTo(0.10396096694124407, within(1e-6));
    }

    @Test
    void fewerThanTwoValuesOrNoSpreadGiveNoInterval() {
        assertThat(WelchDifference.of(new double[] {1}, new double[] {0, 1, 2})).isEmpty();
        assertThat(WelchDifference.of(new double[] {1, 2}, new double[] {0})).isEmpty();
        assertThat(WelchDifference.of(new double[] {3, 3}, new double[] {1, 1, 1})).as("no spread").isEmpty();
        assertThat(WelchDifference.of(new double[] {3, 3}, new double[] {1, 2}))
                .as("one side varies: Welch's df is then that side's n - 1")
                .hasValueSatisfying(w -> assertThat(w.degreesOfFreedom()).isCloseTo(1.0, within(1e-12)));
        assertThatThrownBy(() -> WelchDifference.of(new double[] {1, Double.NaN}, new double[] {0, 1}))
                .hasMessageContaining("finite");
    }
}

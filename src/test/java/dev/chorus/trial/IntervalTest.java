package dev.chorus.trial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class IntervalTest {

    @Test
    void threeRunsGiveStudentsInterval() {
        // mean 2, sample sd 1, n 3: half-width t(0.975, 2) * 1 / sqrt(3) = 4.302653 / 1.732051 = 2.484138
        Interval i = Interval.of(1, 2, 3);
        assertThat(i.mean()).isEqualTo(2.0);
        assertThat(i.runs()).isEqualTo(3);
        assertThat(i.low()).isCloseTo(2 - 2.484138, within(1e-6));
        assertThat(i.high()).isCloseTo(2 + 2.484138, within(1e-6));
        assertThat(i.aboveZero()).as("the interval reaches below zero").isFalse();
        assertThat(Interval.of(3, 4, 5).aboveZero()).isTrue();
        assertThat(i.percent()).isEqualTo("+2.00 % [-0.48, +4.48], 3 runs");
        assertThat(Interval.of(-1.5).percent()).isEqualTo("-1.50 %, 1 run: no interval");
        assertThat(Interval.of(-3, -4, -5).belowZero()).isTrue();
    }

    @Test
    void oneRunHasNoIntervalAndClaimsNothing() {
        Interval i = Interval.of(5);
        assertThat(i.known()).isFalse();
        assertThat(i.low()).isNull();
        assertThat(i.aboveZero()).isFalse();
        assertThat(i.belowZero()).isFalse();
        assertThatThrownBy(Interval::of).hasMessageContaining("at least one run");
        assertThatThrownBy(() -> Interval.of(1, Double.NaN)).hasMessageContaining("finite");
    }
}

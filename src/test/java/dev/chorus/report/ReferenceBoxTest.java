package dev.chorus.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.chorus.search.Hypervolume;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The hypervolume as a share of the box from the reference point to the front's ideal point, on fronts done by hand. */
class ReferenceBoxTest {

    @Test
    void twoTasks() {
        // reference (-100, -100); A = (0, 50), B = (50, 0); ideal (50, 50): box 150 x 150 = 22,500.
        // hypervolume: [-100, 0] x [-100, 50] + [-100, 50] x [-100, 0] - their overlap [-100, 0]^2
        //            = 15,000 + 15,000 - 10,000 = 20,000; share 20,000 / 22,500 = 8/9
        double[] reference = {-100, -100};
        List<double[]> front = List.of(new double[] {0, 50}, new double[] {50, 0});
        ReferenceBox box = ReferenceBox.of(front, reference);
        double hv = Hypervolume.of(front, reference);
        assertThat(hv).isCloseTo(20_000, within(1e-9));
        assertThat(box.ideal()).containsExactly(50, 50);
        assertThat(box.volume()).isCloseTo(22_500, within(1e-9));
        assertThat(box.share(hv)).isCloseTo(8.0 / 9, within(1e-12));
    }

    @Test
    void twoTasksAndModels() {
        // two tasks and -models: reference (-100, -100, -3); P = (10, -20, -1), Q = (30, 40, -2).
        // ideal (30, 40, -1): box 130 x 140 x 2 = 36,400.
        // hypervolume: [ref, P] 110 x 80 x 2 = 17,600, [ref, Q] 130 x 140 x 1 = 18,200, overlap [ref, (10, -20, -2)]
        //   110 x 80 x 1 = 8,800: 17,600 + 18,200 - 8,800 = 27,000; share 27,000 / 36,400 = 135/182
        double[] reference = {-100, -100, -3};
        List<double[]> front = List.of(new double[] {10, -20, -1}, new double[] {30, 40, -2});
        ReferenceBox box = ReferenceBox.of(front, reference);
        double hv = Hypervolume.of(front, reference);
        assertThat(hv).isCloseTo(27_000, within(1e-9));
        assertThat(box.volume()).isCloseTo(36_400, within(1e-9));
        assertThat(box.share(hv)).isCloseTo(135.0 / 182, within(1e-12));

        // the history of this front (P alone, then P and Q) over the final box: rising, within [0, 1]
        double first = box.share(Hypervolume.of(front.subList(0, 1), reference));
        assertThat(first).isCloseTo(17_600.0 / 36_400, within(1e-12)).isLessThanOrEqualTo(box.share(hv));
    }

    @Test
    void aSinglePointFillsItsBox() {
        double[] reference = {-100, -100, -4};
        List<double[]> front = List.of(new double[] {3.7, -12.9, -2});
        assertThat(ReferenceBox.of(front, reference).share(Hypervolume.of(front, reference))).isEqualTo(1.0);
    }

    @Test
    void anObjectiveNoMemberBeatsAddsNoFactorAndTheShareIsZero() {
        // task 0 at or below -100 % in every member: edge 0, dropped; the box is the edge of task 1, 130
        double[] reference = {-100, -100};
        List<double[]> front = List.of(new double[] {-100, 20}, new double[] {-120, 30});
        ReferenceBox box = ReferenceBox.of(front, reference);
        assertThat(box.volume()).isEqualTo(130.0);
        assertThat(box.share(Hypervolume.of(front, reference))).isEqualTo(0.0);
    }

    @Test
    void noFrontNoBox() {
        assertThat(ReferenceBox.of(List.of(), new double[] {-100})).isNull();
    }

    @Test
    void aPersonReadsPercent() {
        HypervolumeHistory hv = new HypervolumeHistory(1, List.of("a", "b"), new double[] {-100, -100},
                new double[] {50, 50}, 22_500.0, "exact (HSO)", List.of(new HypervolumeHistory.Point(1, 10, 15_000, 2.0 / 3,
                true, 0, 0.0), new HypervolumeHistory.Point(2, 11, 20_000, 8.0 / 9, false, 61.2, 0.00272)));
        assertThat(hv.summary()).isEqualTo("After 2 complete trials the front covers 88.9 % of its reference box "
                + "(± 0.27 %; after the first: 66.7 %).");
        assertThat(hv.history().getFirst().accuracy()).isEqualTo("exact");
        assertThat(HypervolumeHistory.percent(null)).isEqualTo("—");
    }
}

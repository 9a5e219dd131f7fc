package dev.chorus.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.report.HypervolumeHistory;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The study page's hypervolume points: the changes of the step function and the last point. */
class HypervolumeStepsTest {

    private static HypervolumeHistory history(double... values) {
        return new HypervolumeHistory(1, List.of("a delta %"), new double[] {-100}, null, null, "exact (HSO)",
                IntStream.range(0, values.length).mapToObj(i -> new HypervolumeHistory.Point(i + 1, 10 + i, values[i],
                        null, true, 0, null)).toList());
    }

    @Test
    void keepsTheChangesAndTheLastPoint() {
        assertThat(DashboardResource.steps(history(1, 1, 2, 2, 2, 5, 5)).history())
                .extracting(HypervolumeHistory.Point::trials).containsExactly(1, 3, 6, 7);
        assertThat(DashboardResource.steps(history()).history()).isEmpty();
        assertThat(DashboardResource.steps(history(3)).history()).hasSize(1);
    }
}

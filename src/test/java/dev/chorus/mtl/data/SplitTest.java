package dev.chorus.mtl.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SplitTest {

    @Test
    void sameSeedSameSplit() {
        assertThat(Split.seeded(1000, 42)).isEqualTo(Split.seeded(1000, 42));
        assertThat(Split.seeded(1000, 42)).isNotEqualTo(Split.seeded(1000, 43));
    }

    @Test
    void pinnedAcrossJvms() {
        // java.util.Random's algorithm is specified, so this split never changes
        Split split = Split.seeded(10, 7);
        assertThat(Arrays.toString(split.train()) + Arrays.toString(split.validation()) + Arrays.toString(split.test()))
                .isEqualTo(PINNED);
    }

    private static final String PINNED = "[1, 3, 4, 5, 6, 8][7, 9][0, 2]";

    @Test
    void sixtyTwentyTwentyPartitionOfAllRows() {
        Split split = Split.seeded(1000, 1);
        assertThat(split.train()).hasSize(600);
        assertThat(split.validation()).hasSize(200);
        assertThat(split.test()).hasSize(200);
        int[] all = IntStream.concat(IntStream.concat(Arrays.stream(split.train()), Arrays.stream(split.validation())),
                Arrays.stream(split.test())).sorted().toArray();
        assertThat(all).isEqualTo(IntStream.range(0, 1000).toArray());
        assertThat(split.train()).isSorted();
    }

    @Test
    void accessorsCopy() {
        Split split = Split.seeded(20, 1);
        split.train()[0] = -5;
        assertThat(split.train()[0]).isNotNegative();
    }

    @Test
    void tooFewRowsNamesTheMinimum() {
        assertThatThrownBy(() -> Split.seeded(4, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 5 rows");
        assertThat(Split.seeded(5, 1).test()).isNotEmpty();
    }

    @Test
    void aResampleMovesTrainAndValidationRowsAndKeepsTheTestRows() {
        Split base = Split.seeded(100, 3);
        Split again = base.resampled(11);
        org.assertj.core.api.Assertions.assertThat(again.test()).isEqualTo(base.test());
        org.assertj.core.api.Assertions.assertThat(again.train()).hasSameSizeAs(base.train()).isNotEqualTo(base.train());
        java.util.Set<Integer> pooled = new java.util.HashSet<>();
        for (int r : again.train()) {
            pooled.add(r);
        }
        for (int r : again.validation()) {
            pooled.add(r);
        }
        java.util.Set<Integer> before = new java.util.HashSet<>();
        for (int r : base.train()) {
            before.add(r);
        }
        for (int r : base.validation()) {
            before.add(r);
        }
        org.assertj.core.api.Assertions.assertThat(pooled).as("the same rows, redistributed").isEqualTo(before);
        org.assertj.core.api.Assertions.assertThat(base.resampled(11)).isEqualTo(again);
    }
}

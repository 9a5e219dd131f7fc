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

    @Test
    void foldsTestEveryRowExactlyOnceAndKeepThePartsDisjoint() {
        Split stored = Split.seeded(103, 5);
        int[] tested = new int[103];
        for (int fold = 0; fold < 4; fold++) {
            Split split = stored.fold(4, fold, 5, 100 + fold);
            assertThat(split.size()).as("every row in some part").isEqualTo(103);
            assertThat(split.test().length).as("near-equal folds").isBetween(103 / 4, 103 / 4 + 1);
            assertThat(split.validation().length).as("train:validation 3:1 of the rest")
                    .isEqualTo(Math.round((103 - split.test().length) / 4.0));
            int[] all = IntStream.concat(IntStream.concat(Arrays.stream(split.train()),
                    Arrays.stream(split.validation())), Arrays.stream(split.test())).sorted().toArray();
            assertThat(all).as("train, validation and test disjoint, covering all rows")
                    .isEqualTo(IntStream.range(0, 103).toArray());
            Arrays.stream(split.test()).forEach(r -> tested[r]++);
        }
        assertThat(tested).as("each row tested exactly once over the k folds").containsOnly(1);
    }

    @Test
    void foldsAreDeterministicAndDependOnlyOnTheRows() {
        Split stored = Split.seeded(60, 1);
        Split fold = stored.fold(3, 1, 9, 17);
        assertThat(stored.fold(3, 1, 9, 17)).isEqualTo(fold);
        assertThat(Split.seeded(60, 2).fold(3, 1, 9, 17)).as("another division of the same rows").isEqualTo(fold);
        assertThat(stored.fold(3, 0, 9, 17).fold(3, 1, 9, 17)).as("a fold's own split, folded again").isEqualTo(fold);
        assertThat(stored.fold(3, 1, 9, 18).test()).as("the train seed moves train and validation only")
                .isEqualTo(fold.test());
        assertThat(stored.fold(3, 1, 9, 18).train()).isNotEqualTo(fold.train());
        assertThat(stored.fold(3, 1, 10, 17).test()).as("the fold seed moves the folds").isNotEqualTo(fold.test());
    }

    @Test
    void foldsRefuseBadArgumentsNamingTheRule() {
        Split stored = Split.seeded(6, 1);
        assertThatThrownBy(() -> stored.fold(1, 0, 1, 1)).hasMessageContaining("k >= 2");
        assertThatThrownBy(() -> stored.fold(3, 3, 1, 1)).hasMessageContaining("0..k-1");
        assertThatThrownBy(() -> stored.fold(5, 0, 1, 1)).hasMessageContaining("at least 7 rows");
        Split smallest = stored.fold(4, 3, 1, 1);
        assertThat(smallest.train()).isNotEmpty();
        assertThat(smallest.validation()).isNotEmpty();
        assertThat(smallest.test()).isNotEmpty();
    }
}

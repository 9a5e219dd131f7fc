package dev.chorus.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PartitionsTest {

    @Test
    void countsAreBellNumbersAndTheirPartialSums() {
        long[] bell = {1, 2, 5, 15, 52, 203, 877, 4140};
        for (int n = 1; n <= bell.length; n++) {
            assertThat(Partitions.count(n, n)).as("Bell(%d)", n).isEqualTo(bell[n - 1]);
            assertThat(Partitions.count(n, n + 3)).isEqualTo(bell[n - 1]);
        }
        assertThat(Partitions.count(6, 1)).isEqualTo(1);
        assertThat(Partitions.count(6, 2)).isEqualTo(32); // 1 + (2^5 - 1)
        assertThat(Partitions.count(6, 3)).isEqualTo(122); // 1 + 31 + 90
        assertThat(Partitions.count(25, 25)).isEqualTo(4_638_590_332_229_999_353L);
        assertThat(Partitions.count(26, 26)).isEqualTo(Long.MAX_VALUE);
        assertThat(Partitions.count(200, 200)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void allListsEveryPartitionOnceInCanonicalForm() {
        for (int n = 1; n <= 6; n++) {
            for (int most = 1; most <= n; most++) {
                int g = most;
                List<List<Integer>> all = Partitions.all(n, g).stream()
                        .map(labels -> Arrays.stream(labels).boxed().toList()).toList();
                assertThat(all).hasSize((int) Partitions.count(n, g)).doesNotHaveDuplicates();
                assertThat(all).allSatisfy(PartitionsTest::assertCanonical);
                assertThat(all).allSatisfy(labels -> assertThat(labels).allSatisfy(l -> assertThat(l).isLessThan(g)));
                assertThat(all.getFirst()).containsOnly(0);
            }
        }
        assertThat(Partitions.all(3, 3)).extracting(Arrays::toString).containsExactly("[0, 0, 0]", "[0, 0, 1]",
                "[0, 1, 0]", "[0, 1, 1]", "[0, 1, 2]");
    }

    /** Each label is at most one above every label before it, and the first is 0. */
    private static void assertCanonical(List<Integer> labels) {
        int max = -1;
        for (int label : labels) {
            assertThat(label).as("%s", labels).isBetween(0, max + 1);
            max = Math.max(max, label);
        }
    }

    @Test
    void refusesEmptyArguments() {
        assertThatThrownBy(() -> Partitions.count(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Partitions.all(2, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}

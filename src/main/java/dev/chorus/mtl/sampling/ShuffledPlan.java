package dev.chorus.mtl.sampling;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/** {@code all}: every training row once per epoch, shuffled, in batches. Holds no mutable state. */
record ShuffledPlan(int[] rows, int batchSize) implements BatchPlan {

    @Override
    public int[][] epoch(int epoch, RandomGenerator random) {
        int[] order = rows.clone();
        shuffle(order, random);
        int batches = (order.length + batchSize - 1) / batchSize;
        int[][] out = new int[batches][];
        for (int b = 0; b < batches; b++) {
            int from = b * batchSize;
            out[b] = Arrays.copyOfRange(order, from, Math.min(order.length, from + batchSize));
        }
        return out;
    }

    /** Fisher-Yates, in place. */
    static void shuffle(int[] a, RandomGenerator random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}

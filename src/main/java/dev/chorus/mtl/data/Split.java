package dev.chorus.mtl.data;

import java.util.Arrays;
import java.util.Objects;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * A partition of row indices into training, validation and test rows. Immutable: the constructor and
 * the accessors copy. Each part is sorted ascending.
 *
 * @param train      rows the models learn from (and the feature statistics come from)
 * @param validation rows watched epoch by epoch, for pruning
 * @param test       rows every reported metric is computed on
 */
public record Split(int[] train, int[] validation, int[] test) {

    /** Share of the rows in the training part; validation and test share the rest equally. */
    public static final double TRAIN_SHARE = 0.6;

    /** Fewest rows {@link #seeded} accepts: one validation and one test row at least. */
    public static final int MIN_ROWS = 5;

    public Split {
        train = sorted(train, "train");
        validation = sorted(validation, "validation");
        test = sorted(test, "test");
    }

    /**
     * A 60/20/20 split of {@code rows} rows, shuffled by {@code seed}: the same arguments always give
     * the same split, on every JVM.
     *
     * @throws IllegalArgumentException when {@code rows < MIN_ROWS}
     */
    public static Split seeded(int rows, long seed) {
        if (rows < MIN_ROWS) {
            throw new IllegalArgumentException("a dataset needs at least " + MIN_ROWS
                    + " rows to split into train, validation and test; it has " + rows);
        }
        int[] order = shuffled(IntStream.range(0, rows).toArray(), seed ^ 0x5EED5A17L);
        int nTrain = (int) Math.round(rows * TRAIN_SHARE);
        int nValidation = (rows - nTrain) / 2;
        return new Split(Arrays.copyOfRange(order, 0, nTrain),
                Arrays.copyOfRange(order, nTrain, nTrain + nValidation),
                Arrays.copyOfRange(order, nTrain + nValidation, rows));
    }

    /**
     * Another draw of the train and validation rows for a repeated run: the same test rows, the same
     * part sizes, the pooled train and validation rows shuffled by {@code seed}. Nothing is ever
     * chosen by the test rows, so they stay put while the rows the search learns and chooses on move.
     */
    public Split resampled(long seed) {
        int[] pool = new int[train.length + validation.length];
        System.arraycopy(train, 0, pool, 0, train.length);
        System.arraycopy(validation, 0, pool, train.length, validation.length);
        pool = shuffled(pool, seed ^ 0x2E5A4B1EL);
        return new Split(Arrays.copyOfRange(pool, 0, train.length),
                Arrays.copyOfRange(pool, train.length, pool.length), test);
    }

    /**
     * The rows of fold {@code index} of a {@code k}-fold cross-validation over every row of this split:
     * all rows (train, validation and test together) are shuffled by {@code foldSeed} and cut into
     * {@code k} folds whose sizes differ by at most one; fold {@code index} is the test part, and the
     * other rows, shuffled by {@code trainSeed}, are cut into train and validation at 3:1 (the 60:20 of
     * {@link #seeded}), with at least one validation row. Depends only on the set of rows, not on how
     * this split divides them, so the folds of any fold's split are the same folds. The {@code k} test
     * parts of one {@code foldSeed} are disjoint and together hold every row exactly once.
     *
     * @throws IllegalArgumentException when {@code k < 2}, {@code index} is not in {@code 0..k-1}, or
     *     there are fewer than {@code k + 2} rows (every fold and the train and validation parts need a row)
     */
    public Split fold(int k, int index, long foldSeed, long trainSeed) {
        if (k < 2 || index < 0 || index >= k) {
            throw new IllegalArgumentException("a fold is 0..k-1 of k >= 2 folds, was fold " + index + " of " + k);
        }
        int rows = size();
        if (rows < k + 2) {
            throw new IllegalArgumentException(k + "-fold cross-validation needs at least " + (k + 2)
                    + " rows (a row per fold, and a train and a validation row beside the test fold); there are "
                    + rows);
        }
        int[] order = shuffled(all(), foldSeed ^ 0xF01D5EEDL);
        int from = (int) ((long) index * rows / k);
        int to = (int) ((long) (index + 1) * rows / k);
        int[] rest = new int[rows - (to - from)];
        System.arraycopy(order, 0, rest, 0, from);
        System.arraycopy(order, to, rest, from, rows - to);
        Arrays.sort(rest); // what the rest holds, not the fold shuffle's order, decides train and validation
        rest = shuffled(rest, trainSeed ^ 0x7A1F0D5L);
        int nValidation = Math.max(1, (int) Math.round(rest.length / 4.0)); // 3:1, the 60:20 of seeded
        return new Split(Arrays.copyOfRange(rest, nValidation, rest.length), Arrays.copyOfRange(rest, 0, nValidation),
                Arrays.copyOfRange(order, from, to));
    }

    /** Every row of the three parts, ascending. */
    private int[] all() {
        int[] rows = new int[size()];
        System.arraycopy(train, 0, rows, 0, train.length);
        System.arraycopy(validation, 0, rows, train.length, validation.length);
        System.arraycopy(test, 0, rows, train.length + validation.length, test.length);
        Arrays.sort(rows);
        return rows;
    }

    /**
     * A copy of {@code rows} in a Fisher-Yates order drawn by {@code java.util.Random(seed)}, whose
     * algorithm is specified: the same arguments give the same order on every JVM.
     */
    private static int[] shuffled(int[] rows, long seed) {
        int[] copy = rows.clone();
        Random random = new Random(seed);
        for (int i = copy.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = copy[i];
            copy[i] = copy[j];
            copy[j] = t;
        }
        return copy;
    }

    @Override
    public int[] train() {
        return train.clone();
    }

    @Override
    public int[] validation() {
        return validation.clone();
    }

    @Override
    public int[] test() {
        return test.clone();
    }

    /** Total rows over the three parts. */
    public int size() {
        return train.length + validation.length + test.length;
    }

    private static int[] sorted(int[] rows, String part) {
        int[] copy = Objects.requireNonNull(rows, part).clone();
        Arrays.sort(copy);
        if (copy.length > 0 && copy[0] < 0) {
            throw new IllegalArgumentException(part + " holds a negative row index " + copy[0]);
        }
        return copy;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Split s && Arrays.equals(train, s.train) && Arrays.equals(validation, s.validation)
                && Arrays.equals(test, s.test);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(train), Arrays.hashCode(validation), Arrays.hashCode(test));
    }

    @Override
    public String toString() {
        return "Split[train=" + train.length + ", validation=" + validation.length + ", test=" + test.length + "]";
    }
}

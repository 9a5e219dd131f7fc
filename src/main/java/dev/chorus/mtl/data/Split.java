package dev.chorus.mtl.data;

import java.util.Arrays;
import java.util.Objects;
import java.util.Random;

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
        int[] order = new int[rows];
        for (int i = 0; i < rows; i++) {
            order[i] = i;
        }
        Random random = new Random(seed ^ 0x5EED5A17L); // java.util.Random: its algorithm is specified
        for (int i = rows - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
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
        Random random = new Random(seed ^ 0x2E5A4B1EL);
        for (int i = pool.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = pool[i];
            pool[i] = pool[j];
            pool[j] = t;
        }
        return new Split(Arrays.copyOfRange(pool, 0, train.length),
                Arrays.copyOfRange(pool, train.length, pool.length), test);
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

package dev.chorus.mtl.sampling;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * {@code proportional} and {@code temperature}: each batch serves one task drawn with probability
 * proportional to {@code n_t^(1/T)}; see {@link BatchPlan}. Holds no mutable state.
 *
 * @param tasks      the tasks that can be chosen, in label-map order
 * @param rows       per task, its labelled training rows, ascending
 * @param cumulative per task, the cumulative choice probability; the last is 1
 * @param batches    batches per epoch
 * @param batchSize  rows per batch, at most
 */
record TaskSampledPlan(List<String> tasks, int[][] rows, double[] cumulative, int batches, int batchSize)
        implements BatchPlan {

    static TaskSampledPlan of(int[] trainRows, Map<String, float[]> labels, int batchSize, double temperature) {
        List<String> tasks = new ArrayList<>();
        List<int[]> rows = new ArrayList<>();
        int[] sorted = trainRows.clone();
        Arrays.sort(sorted);
        labels.forEach((task, values) -> {
            int[] labelled = Arrays.stream(sorted).filter(i -> {
                if (i < 0 || i >= values.length) {
                    throw new IllegalArgumentException("training row " + i + " is outside the " + values.length
                            + " labels of task '" + task + "'");
                }
                return !Float.isNaN(values[i]);
            }).toArray();
            if (labelled.length > 0) {
                tasks.add(task);
                rows.add(labelled);
            }
        });
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("no task has a labelled training row among " + trainRows.length
                    + " rows; per-task sampling needs at least one");
        }
        double[] weights = rows.stream().mapToDouble(r -> Math.pow(r.length, 1 / temperature)).toArray();
        double total = Arrays.stream(weights).sum();
        double[] cumulative = new double[weights.length];
        double sum = 0;
        for (int t = 0; t < weights.length; t++) {
            sum += weights[t];
            cumulative[t] = sum / total;
        }
        cumulative[cumulative.length - 1] = 1;
        int batches = (trainRows.length + batchSize - 1) / batchSize;
        return new TaskSampledPlan(List.copyOf(tasks), rows.toArray(int[][]::new), cumulative, batches, batchSize);
    }

    /** The probability that a batch serves the {@code t}-th task of {@link #tasks()}. */
    double probability(int t) {
        return cumulative[t] - (t == 0 ? 0 : cumulative[t - 1]);
    }

    @Override
    public int[][] epoch(int epoch, RandomGenerator random) {
        int[][] passes = new int[rows.length][];
        int[] cursor = new int[rows.length];
        int[][] out = new int[batches][];
        for (int b = 0; b < batches; b++) {
            int t = choose(random.nextDouble());
            int size = Math.min(batchSize, rows[t].length);
            if (passes[t] == null || cursor[t] + size > passes[t].length) {
                passes[t] = rows[t].clone();
                ShuffledPlan.shuffle(passes[t], random);
                cursor[t] = 0;
            }
            out[b] = Arrays.copyOfRange(passes[t], cursor[t], cursor[t] + size);
            cursor[t] += size;
        }
        return out;
    }

    private int choose(double u) {
        for (int t = 0; t < cumulative.length - 1; t++) {
            if (u < cumulative[t]) {
                return t;
            }
        }
        return cumulative.length - 1;
    }
}

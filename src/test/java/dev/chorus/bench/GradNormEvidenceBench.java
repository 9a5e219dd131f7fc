package dev.chorus.bench;

import dev.chorus.mtl.Metric;
import dev.chorus.mtl.Task;
import dev.chorus.mtl.TaskType;
import dev.chorus.mtl.TrainSettings;
import dev.chorus.mtl.Weighting;
import dev.chorus.mtl.data.Dataset;
import dev.chorus.mtl.data.Split;
import dev.chorus.mtl.train.ModelSpec;
import dev.chorus.mtl.train.MtlTrainer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * GradNorm's synthetic regression (Chen et al., ICML 2018, Sec. 5.1), scaled down: tasks
 * {@code f_i(x) = sigma_i * tanh((B + eps_i) . x / sqrt(d))} share the base direction {@code B} and
 * differ by small {@code eps_i} and by very different scales {@code sigma_i}. With the losses taken on
 * raw targets, equal weighting is dominated by the large-scale task; GradNorm and uncertainty
 * weighting should serve the small-scale task better (issue 3, item 8).
 *
 * <p>Run: {@code ./mvnw -q test -Dtest=GradNormEvidenceBench}; writes bench/results/gradnorm-evidence.md.
 */
class GradNormEvidenceBench {

    static final double[] SIGMA = {1, 100};
    static final int ROWS = 3000;
    static final int DIM = 100;

    static Dataset data(long seed) {
        Random r = new Random(seed);
        double[] base = new double[DIM];
        for (int j = 0; j < DIM; j++) {
            base[j] = r.nextGaussian();
        }
        double[][] dir = new double[SIGMA.length][DIM];
        for (int t = 0; t < SIGMA.length; t++) {
            for (int j = 0; j < DIM; j++) {
                dir[t][j] = base[j] + 0.35 * r.nextGaussian();
            }
        }
        float[] x = new float[ROWS * DIM];
        Map<String, float[]> labels = new LinkedHashMap<>();
        for (int t = 0; t < SIGMA.length; t++) {
            labels.put("t" + t, new float[ROWS]);
        }
        for (int i = 0; i < ROWS; i++) {
            for (int j = 0; j < DIM; j++) {
                x[i * DIM + j] = (float) r.nextGaussian();
            }
            for (int t = 0; t < SIGMA.length; t++) {
                double dot = 0;
                for (int j = 0; j < DIM; j++) {
                    dot += dir[t][j] * x[i * DIM + j];
                }
                labels.get("t" + t)[i] = (float) (SIGMA[t] * Math.tanh(dot / Math.sqrt(DIM)));
            }
        }
        List<String> names = new ArrayList<>();
        for (int j = 0; j < DIM; j++) {
            names.add("x" + j);
        }
        return new Dataset("gradnorm-synthetic", names, x, labels, Map.of());
    }

    @Test
    void run() throws Exception {
        int seeds = Integer.getInteger("bench.seeds", 3);
        List<Task> tasks = List.of(new Task("t0", TaskType.REGRESSION, Metric.RMSE),
                new Task("t1", TaskType.REGRESSION, Metric.RMSE));
        TrainSettings settings = new TrainSettings(64, 2, 0.003, 40, 64);
        List<Weighting> methods = List.of(Weighting.EQUAL, Weighting.GRADNORM, Weighting.UNCERTAINTY, Weighting.DWA);
        Map<Weighting, List<Double>> small = new LinkedHashMap<>();
        Map<Weighting, List<Double>> large = new LinkedHashMap<>();
        MtlTrainer trainer = new MtlTrainer();
        long start = System.nanoTime();
        for (int seed = 1; seed <= seeds; seed++) {
            Dataset data = data(seed);
            Split split = Split.seeded(ROWS, seed);
            for (Weighting w : methods) {
                ModelSpec model = ModelSpec.plain(settings).withWeighting(w, null).withRawTargets();
                Map<String, Double> rmse = trainer.train(data, split, tasks, model, seed).testMetrics();
                small.computeIfAbsent(w, k -> new ArrayList<>()).add(rmse.get("t0") / SIGMA[0]);
                large.computeIfAbsent(w, k -> new ArrayList<>()).add(rmse.get("t1") / SIGMA[1]);
            }
        }
        StringBuilder md = new StringBuilder(String.format(java.util.Locale.ROOT,
                "Two regression tasks f_i(x) = sigma_i tanh((B + eps_i) . x / sqrt(%d)), sigma = {1, 100}, eps ~ "
                        + "N(0, 0.35^2), x in R^%d, %d rows; one hard-sharing model, trunk 64 x 2, lr 0.003, up to 40 "
                        + "epochs (early stopping), batch 64, losses on raw targets; seeds 1..%d; RMSE / sigma on the "
                        + "test split (lower is better). Took %.1f min.%n%n", DIM, DIM, ROWS, seeds,
                (System.nanoTime() - start) / 60e9));
        md.append("| weighting | small-scale task (sigma 1) | large-scale task (sigma 100) |\n|---|---|---|\n");
        for (Weighting w : methods) {
            md.append("| ").append(w.id()).append(" | ").append(Stats.meanSe(small.get(w)).replace("+", ""))
                    .append(" | ").append(Stats.meanSe(large.get(w)).replace("+", "")).append(" |\n");
        }
        Stats.write("gradnorm-evidence.md", md.toString());
    }
}

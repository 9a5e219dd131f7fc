package dev.chorus.mtl.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.mtl.Architecture;
import dev.chorus.mtl.Metric;
import dev.chorus.mtl.Task;
import dev.chorus.mtl.TaskType;
import dev.chorus.mtl.TrainSettings;
import dev.chorus.mtl.data.Dataset;
import dev.chorus.mtl.data.Split;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The evidence for MMoE: the synthetic task pair of Ma et al. (KDD 2018, Sec. 3.2), two regression
 * tasks {@code y_k = w_k^T x + sum_i sin(alpha_i w_k^T x + beta_i) + eps} whose label correlation is
 * set by {@code cos(w_1, w_2) = p}. Hard sharing forces both tasks through one representation; with
 * gates, MMoE can give the tasks different mixtures when they disagree.
 */
class MmoeSyntheticTest {

    private static final List<Task> PAIR = List.of(new Task("y1", TaskType.REGRESSION, Metric.RMSE),
            new Task("y2", TaskType.REGRESSION, Metric.RMSE));
    private static final TrainSettings SETTINGS = new TrainSettings(16, 1, 0.005, 40, 64);

    /**
     * The paper's generator: orthonormal {@code u1, u2}; {@code w1 = c u1},
     * {@code w2 = c (p u1 + sqrt(1 - p^2) u2)}; {@code x ~ N(0, I)}; {@code m} sine terms with
     * {@code alpha_i, beta_i ~ N(0, 1)} shared by both tasks; {@code eps ~ N(0, 0.01)}.
     */
    static Dataset pair(int rows, int d, double correlation, long seed) {
        Random random = new Random(seed);
        double[] u1 = gaussian(random, d);
        double[] u2 = gaussian(random, d);
        normalize(u1);
        double dot = 0;
        for (int j = 0; j < d; j++) {
            dot += u1[j] * u2[j];
        }
        for (int j = 0; j < d; j++) {
            u2[j] -= dot * u1[j];
        }
        normalize(u2);
        double c = 1;
        double[] w1 = new double[d];
        double[] w2 = new double[d];
        for (int j = 0; j < d; j++) {
            w1[j] = c * u1[j];
            w2[j] = c * (correlation * u1[j] + Math.sqrt(1 - correlation * correlation) * u2[j]);
        }
        int m = 10;
        double[] alpha = gaussian(random, m);
        double[] beta = gaussian(random, m);
        float[] x = new float[rows * d];
        float[] y1 = new float[rows];
        float[] y2 = new float[rows];
        for (int i = 0; i < rows; i++) {
            double s1 = 0;
            double s2 = 0;
            for (int j = 0; j < d; j++) {
                float v = (float) random.nextGaussian();
                x[i * d + j] = v;
                s1 += w1[j] * v;
                s2 += w2[j] * v;
            }
            y1[i] = (float) label(s1, alpha, beta, random);
            y2[i] = (float) label(s2, alpha, beta, random);
        }
        List<String> names = new ArrayList<>();
        for (int j = 0; j < d; j++) {
            names.add("x" + j);
        }
        Map<String, float[]> labels = new LinkedHashMap<>();
        labels.put("y1", y1);
        labels.put("y2", y2);
        return new Dataset("mmoe-synthetic", names, x, labels, Map.of());
    }

    private static double label(double s, double[] alpha, double[] beta, Random random) {
        double y = s;
        for (int i = 0; i < alpha.length; i++) {
            y += Math.sin(alpha[i] * s + beta[i]);
        }
        return y + 0.1 * random.nextGaussian();
    }

    private static double[] gaussian(Random random, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextGaussian();
        }
        return v;
    }

    private static void normalize(double[] v) {
        double norm = 0;
        for (double x : v) {
            norm += x * x;
        }
        norm = Math.sqrt(norm);
        for (int i = 0; i < v.length; i++) {
            v[i] /= norm;
        }
    }

    /** Mean test RMSE over both tasks and seeds 1..{@code seeds}. */
    static double meanRmse(Architecture architecture, int experts, double correlation, int rows, int seeds) {
        MtlTrainer trainer = new MtlTrainer();
        ModelSpec spec = ModelSpec.plain(SETTINGS).withArchitecture(architecture, 1, experts);
        double sum = 0;
        for (long seed = 1; seed <= seeds; seed++) {
            Dataset data = pair(rows, 100, correlation, seed);
            GroupResult r = trainer.train(data, Split.seeded(data.rows(), seed), PAIR, spec, seed);
            sum += (r.testMetrics().get("y1") + r.testMetrics().get("y2")) / 2;
        }
        return sum / seeds;
    }

    /**
     * Issue 3's evidence 2: at low task correlation MMoE does at least as well as hard sharing (within
     * 5 %, on 2 seeds). Measured 2026-11-23 (1500 rows, width 16, tower of 16, lr 0.005, up to 40
     * epochs): mean test RMSE hard vs MMoE(4) 1.4098 vs 1.4107 at correlation 0.0 and 1.2879 vs 1.3086
     * at 0.9. Before the gates started at zero weights (uniform mixture) 4-expert MMoE trailed by 45 %
     * at both correlations: Xavier-initialised gates over 100 raw features start nearly one-hot.
     */
    @Test
    void oneExpertMatchesHardSharingAndFourExpertsAreMeasured() {
        double hard = meanRmse(Architecture.HARD, 0, 0.0, 1500, 2);
        double single = meanRmse(Architecture.MMOE, 1, 0.0, 1500, 2);
        System.out.printf("MMoE synthetic pair, correlation 0.0: test RMSE hard %.4f, MMoE(1) %.4f%n", hard, single);
        assertThat(single).isLessThan(hard * 1.05);
        for (double p : new double[] {0.0, 0.9}) {
            double h = p == 0.0 ? hard : meanRmse(Architecture.HARD, 0, p, 1500, 2);
            double m = meanRmse(Architecture.MMOE, 4, p, 1500, 2);
            System.out.printf("MMoE synthetic pair, correlation %.1f: test RMSE hard %.4f, MMoE(4) %.4f (%+.1f%%)%n", p,
                    h, m, 100 * (m - h) / h);
            if (p == 0.0) {
                assertThat(m).as("MMoE(4) at low correlation").isLessThan(h * 1.05);
            }
        }
    }
}

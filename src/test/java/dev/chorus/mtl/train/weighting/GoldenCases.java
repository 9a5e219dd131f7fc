package dev.chorus.mtl.train.weighting;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chorus.mtl.Weighting;
import dev.chorus.mtl.train.weighting.LossWeighting.Combination;
import dev.chorus.mtl.train.weighting.LossWeighting.Step;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The golden inputs of the Python weightings ({@code clients/python/src/chorus/torch}) and the Java
 * outputs on them: every {@link Weighting} on every case, a case being {@value #STEPS} steps of task
 * losses and gradient rows (seeded), with the losses after each optimiser step (FAMO) and each epoch's
 * mean losses every {@value #STEPS_PER_EPOCH} steps (DWA), so that stateful methods are compared over
 * several steps and past DWA's two equal-weight epochs.
 *
 * <p>RLW and PCGrad draw from Java's {@link SplittableRandom}; the draws are replayed here exactly as
 * their javadoc says they are made (one Gaussian per task and step; one Fisher-Yates permutation of the
 * present tasks per present task and step), checked against the class's own output, and written down
 * so that Python can replay them.
 */
final class GoldenCases {

    static final int STEPS = 6;
    static final int STEPS_PER_EPOCH = 2;
    static final double LEARNING_RATE = 0.05;
    static final long SEED = 11;

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** One case's inputs: per step the losses, presence, gradient rows and losses after the step. */
    record Case(String name, double[] fixed, List<double[]> losses, List<boolean[]> present,
            List<double[][]> gradients, List<double[]> lossesAfter) {
    }

    private GoldenCases() {
    }

    /** The cases: 2, 3 and 5 random tasks, a conflicting pair, a rank-deficient triple, absent tasks. */
    static List<Case> cases() {
        return List.of(
                random("t2-d8", 2, 8, 201, Kind.RANDOM),
                random("t3-d16", 3, 16, 301, Kind.RANDOM),
                random("t5-d32", 5, 32, 501, Kind.RANDOM),
                random("t2-conflicting", 2, 12, 202, Kind.CONFLICTING),
                random("t3-rank-deficient", 3, 10, 303, Kind.RANK_DEFICIENT),
                random("t4-absent", 4, 12, 404, Kind.ABSENT));
    }

    private enum Kind { RANDOM, CONFLICTING, RANK_DEFICIENT, ABSENT }

    private static Case random(String name, int tasks, int dim, long seed, Kind kind) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] fixed = new double[tasks];
        double[] loss = new double[tasks];
        for (int t = 0; t < tasks; t++) {
            fixed[t] = 0.25 + 2 * random.nextDouble();
            loss[t] = 0.5 + 1.5 * random.nextDouble();
        }
        double[][] base = Steps.randomGradients(random, tasks, dim);
        List<double[]> losses = new ArrayList<>();
        List<boolean[]> present = new ArrayList<>();
        List<double[][]> gradients = new ArrayList<>();
        List<double[]> after = new ArrayList<>();
        for (int s = 0; s < STEPS; s++) {
            boolean[] p = Steps.all(tasks);
            if (kind == Kind.ABSENT && (s == 1 || s == 4)) {
                p[s == 1 ? 1 : 3] = false;
            }
            double[][] g = Steps.randomGradients(random, tasks, dim);
            for (int t = 0; t < tasks; t++) {
                for (int i = 0; i < dim; i++) {
                    g[t][i] = base[t][i] + 0.3 * g[t][i];
                }
            }
            if (kind == Kind.CONFLICTING) {
                for (int i = 0; i < dim; i++) {
                    g[1][i] = -0.8 * g[0][i] + 0.3 * g[1][i];
                }
            } else if (kind == Kind.RANK_DEFICIENT) {
                for (int i = 0; i < dim; i++) {
                    g[2][i] = g[0][i] + g[1][i];
                }
            }
            double[] l = loss.clone();
            double[] a = new double[tasks];
            for (int t = 0; t < tasks; t++) {
                if (!p[t]) {
                    l[t] = 0;
                    Arrays.fill(g[t], 0);
                } else {
                    a[t] = loss[t] * (0.9 + 0.1 * random.nextDouble());
                    loss[t] = a[t] * (0.97 + 0.04 * random.nextDouble());
                }
            }
            losses.add(l);
            present.add(p);
            gradients.add(g);
            after.add(a);
        }
        return new Case(name, fixed, losses, present, gradients, after);
    }

    /** The whole golden file: the cases and every method's outputs on each. */
    static ObjectNode document() {
        ObjectNode root = JSON.objectNode();
        root.put("generator", "src/test/java/dev/chorus/mtl/train/weighting/GoldenCases.java");
        root.put("stepsPerEpoch", STEPS_PER_EPOCH);
        ArrayNode cases = root.putArray("cases");
        ArrayNode runs = root.putArray("runs");
        for (Case c : cases()) {
            ObjectNode node = cases.addObject();
            node.put("name", c.name());
            node.set("losses", matrix(c.losses().toArray(double[][]::new)));
            ArrayNode present = node.putArray("present");
            c.present().forEach(p -> {
                ArrayNode row = present.addArray();
                for (boolean b : p) {
                    row.add(b);
                }
            });
            ArrayNode grads = node.putArray("gradients");
            c.gradients().forEach(g -> grads.add(matrix(g)));
            node.set("lossesAfter", matrix(c.lossesAfter().toArray(double[][]::new)));
            for (Weighting method : Weighting.values()) {
                runs.add(run(c, method));
            }
        }
        return root;
    }

    private static ObjectNode run(Case c, Weighting method) {
        ObjectNode run = JSON.objectNode();
        run.put("case", c.name());
        run.put("method", method.id());
        ObjectNode options = run.putObject("options");
        options.set("weights", vector(c.fixed()));
        options.put("learning_rate", LEARNING_RATE);
        options.put("seed", SEED);
        ArrayNode outputs = run.putArray("outputs");
        ArrayNode draws = run.putArray("draws");
        LossWeighting weighting = LossWeighting.of(method, c.fixed(), LEARNING_RATE, SEED);
        Replay replay = new Replay(SEED);
        int tasks = c.fixed().length;
        double[] epochSum = new double[tasks];
        int[] epochCount = new int[tasks];
        for (int s = 0; s < STEPS; s++) {
            boolean[] present = c.present().get(s);
            double[][] g = weighting.needsGradients() ? c.gradients().get(s) : null;
            Step step = new Step(c.losses().get(s), present, g, s / STEPS_PER_EPOCH, s);
            Combination result = weighting.combine(step);
            ObjectNode out = outputs.addObject();
            if (result instanceof Combination.Weights w) {
                out.set("weights", vector(w.weights()));
            } else {
                out.set("gradient", vector(((Combination.SharedGradient) result).gradient()));
            }
            if (method == Weighting.RLW) {
                draws.add(vector(replay.rlw(step, Steps.weights(result))));
            } else if (method == Weighting.PCGRAD) {
                draws.add(orders(replay.pcGrad(step, Steps.gradient(result))));
            }
            if (weighting.needsLossesAfterStep()) {
                weighting.afterStep(c.lossesAfter().get(s));
            }
            for (int t = 0; t < tasks; t++) {
                if (present[t]) {
                    epochSum[t] += c.losses().get(s)[t];
                    epochCount[t]++;
                }
            }
            if ((s + 1) % STEPS_PER_EPOCH == 0) {
                double[] means = new double[tasks];
                for (int t = 0; t < tasks; t++) {
                    means[t] = epochSum[t] / epochCount[t];
                }
                weighting.endEpoch(means);
                Arrays.fill(epochSum, 0);
                Arrays.fill(epochCount, 0);
            }
        }
        return run;
    }

    static ArrayNode vector(double[] values) {
        ArrayNode node = JSON.arrayNode();
        for (double v : values) {
            node.add(v);
        }
        return node;
    }

    private static ArrayNode matrix(double[][] rows) {
        ArrayNode node = JSON.arrayNode();
        for (double[] row : rows) {
            node.add(vector(row));
        }
        return node;
    }

    private static ArrayNode orders(int[][] orders) {
        ArrayNode node = JSON.arrayNode();
        for (int[] order : orders) {
            ArrayNode row = node.addArray();
            Arrays.stream(order).forEach(row::add);
        }
        return node;
    }
}

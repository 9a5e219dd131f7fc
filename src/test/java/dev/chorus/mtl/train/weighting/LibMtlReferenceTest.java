package dev.chorus.mtl.train.weighting;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chorus.mtl.train.weighting.LossWeighting.Step;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each gradient-based weighting against LibMTL's arithmetic on the same fixed gradients:
 * {@code src/test/resources/weighting/libmtl-reference.json}, written by {@code make_reference.py}
 * beside it (numpy/scipy, its header names the LibMTL commit and how to re-run it). Cases: 2, 3 and 5
 * tasks in 16 and 64 dimensions, a conflicting pair, a rank-deficient triple.
 *
 * <p>Tolerances: {@value #CLOSED_FORM} (relative to the largest entry) where both sides are closed form
 * (IMTL, Aligned-MTL, GradNorm's gradient, PCGrad up to LibMTL's {@code + 1e-8} in {@code ||g_j||^2});
 * {@value #SOLVER} for Nash-MTL (both solve {@code alpha_i (G alpha)_i = 1} to about 1e-12);
 * MGDA-UB against LibMTL's own iteration run to Chorus's stop criterion {@code 1e-10}
 * ({@value #MGDA}), and never a worse min-norm point than LibMTL's default {@code 1e-5}; CAGrad, whose
 * dual LibMTL hands to SLSQP at scipy's default {@code ftol = 1e-6}, within {@value #CAGRAD} of SLSQP
 * run to {@code ftol = 1e-12}.
 */
class LibMtlReferenceTest {

    static final double CLOSED_FORM = 1e-9;
    static final double SOLVER = 1e-9;
    static final double MGDA = 1e-8;
    static final double CAGRAD = 1e-5;

    private static final JsonNode REFERENCE = load();

    private static JsonNode load() {
        try (InputStream in = LibMtlReferenceTest.class.getResourceAsStream("/weighting/libmtl-reference.json")) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<String> cases() {
        List<String> names = new ArrayList<>();
        REFERENCE.get("cases").forEach(c -> names.add(c.get("name").asText()));
        return names.stream();
    }

    private static JsonNode reference(String name) {
        for (JsonNode c : REFERENCE.get("cases")) {
            if (c.get("name").asText().equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException(name);
    }

    private static double[] vector(JsonNode node) {
        double[] out = new double[node.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = node.get(i).asDouble();
        }
        return out;
    }

    private static double[][] matrix(JsonNode node) {
        double[][] out = new double[node.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = vector(node.get(i));
        }
        return out;
    }

    private static int[][] orders(JsonNode node) {
        int[][] out = new int[node.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = new int[node.get(i).size()];
            for (int j = 0; j < out[i].length; j++) {
                out[i][j] = node.get(i).get(j).asInt();
            }
        }
        return out;
    }

    private static Step step(JsonNode c) {
        return Steps.gradients(vector(c.get("losses")), matrix(c.get("gradients")));
    }

    /** {@code max |actual - expected| <= tolerance * max |expected|}. */
    private static void assertClose(String what, double[] actual, double[] expected, double tolerance) {
        assertClose(what, actual, expected, tolerance, 0);
    }

    /**
     * An update against LibMTL's, the tolerance relative to the larger of its largest entry and the
     * gradients' (an update can cancel to rounding noise: IMTL on the rank-deficient case).
     */
    private static void assertUpdate(String what, double[] actual, double[] expected, double tolerance, JsonNode c) {
        double floor = 0;
        for (double[] row : matrix(c.get("gradients"))) {
            for (double v : row) {
                floor = Math.max(floor, Math.abs(v));
            }
        }
        assertClose(what, actual, expected, tolerance, floor);
    }

    private static void assertClose(String what, double[] actual, double[] expected, double tolerance, double floor) {
        assertThat(actual).as(what).hasSameSizeAs(expected);
        double scale = floor;
        double error = 0;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            error = Math.max(error, Math.abs(actual[i] - expected[i]));
        }
        assertThat(error).as("%s: largest difference, relative to the largest entry %s", what, scale)
                .isLessThanOrEqualTo(tolerance * scale);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void pcGradOnTheSameOrders(String name) {
        JsonNode c = reference(name);
        double[] update = PcGrad.surgery(matrix(c.get("gradients")), orders(c.at("/pcgrad/orders")));
        assertUpdate(name, update, vector(c.at("/pcgrad/update")), CLOSED_FORM, c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void caGradWithinTheSolverTolerance(String name) {
        JsonNode c = reference(name);
        double[] update = Steps.gradient(new CaGrad(0.5, true).combine(step(c)));
        assertUpdate(name, update, vector(c.at("/cagrad/update_ftol_1e-12")), CAGRAD, c);
        assertUpdate(name + " (LibMTL's SLSQP defaults)", update, vector(c.at("/cagrad/update")), 1e-3, c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void mgdaUbWithinTheSolverTolerance(String name) {
        JsonNode c = reference(name);
        double[][] g = matrix(c.get("gradients"));
        for (var entry : List.of(
                new Object[] {"none", MgdaUb.Normalization.NONE},
                new Object[] {"loss+", MgdaUb.Normalization.LOSS_PLUS})) {
            JsonNode ref = c.get("mgda").get((String) entry[0]);
            double[] update = Steps.gradient(new MgdaUb((MgdaUb.Normalization) entry[1]).combine(step(c)));
            assertUpdate(name + " " + entry[0], update, vector(ref.get("update_stop_1e-10")), MGDA, c);
            // never a worse min-norm point than LibMTL's default stop at 1e-5
            double[] losses = vector(c.get("losses"));
            double[][] normalised = new double[g.length][];
            for (int t = 0; t < g.length; t++) {
                double gn = entry[1] == MgdaUb.Normalization.NONE ? 1 : losses[t] * Vectors.norm(g[t]);
                normalised[t] = g[t].clone();
                for (int i = 0; i < normalised[t].length; i++) {
                    normalised[t][i] /= gn;
                }
            }
            double[] ours = MinNormSolver.solve(Vectors.gram(normalised));
            double[] theirs = vector(ref.get("alpha"));
            double dim = normalised[0].length;
            assertThat(Vectors.norm(Vectors.combine(ours, normalised, (int) dim)))
                    .isLessThanOrEqualTo(Vectors.norm(Vectors.combine(theirs, normalised, (int) dim)) * (1 + 1e-12));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void imtlInClosedForm(String name) {
        JsonNode c = reference(name);
        assertClose(name, Imtl.alphas(matrix(c.get("gradients"))), vector(c.at("/imtl/alpha")), CLOSED_FORM);
        assertUpdate(name, Steps.gradient(new Imtl(0.01).combine(step(c))), vector(c.at("/imtl/update")), CLOSED_FORM, c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void alignedMtlInClosedForm(String name) {
        JsonNode c = reference(name);
        assertUpdate(name, Steps.gradient(new AlignedMtl().combine(step(c))),
                vector(c.at("/aligned_mtl/update")), CLOSED_FORM, c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void nashMtlWeightsAreLibMtls(String name) {
        JsonNode c = reference(name);
        double[] weights = Steps.weights(new NashMtl().combine(step(c)));
        assertClose(name, weights, vector(c.at("/nash_mtl/alpha")), SOLVER);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradNormsFirstStepGradientIsLibMtls(String name) {
        JsonNode c = reference(name);
        JsonNode ref = c.get("gradnorm");
        double[][] g = matrix(c.get("gradients"));
        double[] norms = new double[g.length];
        for (int t = 0; t < g.length; t++) {
            norms[t] = Vectors.norm(g[t]);
        }
        double[] losses = vector(c.get("losses"));
        double[] initial = vector(ref.get("initial_losses"));
        double[] weights = vector(ref.get("weights"));
        double[] gradient = GradNormWeights.lossGradient(weights, norms, losses, initial, ref.get("alpha").asDouble());
        assertClose(name, gradient, vector(ref.get("d_loss_d_weights")), CLOSED_FORM);
        // the first step's weights are LibMTL's (all 1); the update after it differs by design (Adam on
        // the weights and renormalising, not on softmax logits): see GradNormWeights
        GradNormWeights gradNorm = new GradNormWeights(1.5, ref.get("lr").asDouble());
        assertClose(name, Steps.weights(gradNorm.combine(step(c))), weights, 0);
    }
}

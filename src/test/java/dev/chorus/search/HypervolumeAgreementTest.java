package dev.chorus.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Chorus's exact hypervolume against Optuna's WFG on the fronts of
 * {@code src/test/resources/hypervolume/optuna-wfg.json}, written by {@code make_reference.py} beside it
 * (2 to 7 objectives: uniform, concave, linear and integer fronts, duplicates, points on the reference
 * box, below it, one point, none inside, negative values).
 */
class HypervolumeAgreementTest {

    /** Relative agreement: the two sum the same boxes in another order. */
    private static final double RELATIVE = 1e-12;

    static Stream<Arguments> cases() {
        try (InputStream in = HypervolumeAgreementTest.class.getResourceAsStream("/hypervolume/optuna-wfg.json")) {
            JsonNode root = new ObjectMapper().readTree(in);
            List<Arguments> out = new ArrayList<>();
            for (JsonNode c : root.get("cases")) {
                List<double[]> points = new ArrayList<>();
                c.get("points").forEach(p -> points.add(vector(p)));
                out.add(Arguments.of(c.get("name").asText(), points, vector(c.get("reference")),
                        c.get("optuna").asDouble()));
            }
            return out.stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double[] vector(JsonNode node) {
        double[] v = new double[node.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = node.get(i).asDouble();
        }
        return v;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void exactAgreesWithOptunasWfg(String name, List<double[]> points, double[] reference, double optuna) {
        double tolerance = RELATIVE * Math.max(1, Math.abs(optuna));
        assertThat(Hypervolume.of(points, reference)).isCloseTo(optuna, within(tolerance));
        Hypervolume.Estimate estimate = Hypervolume.estimate(points, reference);
        assertThat(estimate.exact()).as("small fronts stay exact").isTrue();
        assertThat(estimate.value()).isCloseTo(optuna, within(tolerance));
    }
}

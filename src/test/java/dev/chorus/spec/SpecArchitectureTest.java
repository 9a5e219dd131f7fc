package dev.chorus.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chorus.TestStudies;
import dev.chorus.mtl.Architecture;
import dev.chorus.mtl.Weighting;
import dev.chorus.search.SearchSpace.IntRange;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The search keys for architectures and weighting methods. */
class SpecArchitectureTest {

    private static String withSearch(String extra) {
        return TestStudies.tinyYaml().replace("  sampler: nsga2\n", "  sampler: nsga2\n" + extra);
    }

    @Test
    void architecturesHeadDepthAndExpertsAreSearchDimensions() {
        StudySpec spec = SpecParser.parse(withSearch("""
                  architecture: [hard, mmoe, cross-stitch]
                  head-depth: { min: 0, max: 2 }
                  experts: { min: 2, max: 3 }
                  weighting: [equal, uncertainty, dwa, rlw, gradnorm, pcgrad, mgda-ub, cagrad, famo]
                """), Path.of("."));
        assertThat(spec.space().architectures()).containsExactly(Architecture.HARD, Architecture.MMOE,
                Architecture.CROSS_STITCH);
        assertThat(spec.space().headDepth()).isEqualTo(new IntRange(0, 2));
        assertThat(spec.space().experts()).isEqualTo(new IntRange(2, 3));
        assertThat(spec.space().weightings()).hasSize(9).contains(Weighting.MGDA_UB, Weighting.FAMO);
    }

    @Test
    void defaultsToHardSharingWithoutPrivateLayers() {
        StudySpec spec = SpecParser.parse(TestStudies.tinyYaml(), Path.of("."));
        assertThat(spec.space().architectures()).containsExactly(Architecture.HARD);
        assertThat(spec.space().headDepth()).isEqualTo(new IntRange(0, 0));
    }

    @Test
    void unknownValuesAreRefusedWithTheAllowedOnes() {
        assertThatThrownBy(() -> SpecParser.parse(withSearch("""
                  architecture: [hard, transformer]
                  head-depth: { min: -1, max: 2 }
                  weighting: [equal, magic]
                """), Path.of(".")))
                .isInstanceOf(SpecException.class)
                .hasMessageContaining("search.architecture[1]")
                .hasMessageContaining("hard, mmoe, cross-stitch")
                .hasMessageContaining("search.head-depth.min")
                .hasMessageContaining("search.weighting[1]")
                .hasMessageContaining("pcgrad");
        assertThat(List.of(Architecture.values())).hasSize(3);
    }
}

package dev.chorus.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.mtl.Architecture;
import dev.chorus.mtl.Candidate;
import dev.chorus.mtl.TrainSettings;
import dev.chorus.mtl.Weighting;
import java.util.List;
import org.junit.jupiter.api.Test;

class VariantsTest {

    static final TrainSettings SETTINGS = new TrainSettings(32, 2, 0.005, 10, 64);

    @Test
    void fixedWeightsTiltEachSharedModelBothWaysThenTheNeighbouringWeightings() {
        // models {0, 1, 3} and {2}: within the shared model the weights go up, down, up (and the mirror)
        Candidate c = new Candidate(List.of(0, 0, 1, 0), List.of(1.0, 2.0, 4.0, 0.5), Weighting.FIXED, SETTINGS,
                Architecture.MMOE, 1, 3);
        List<Variants.Variant> variants = Variants.of(c);
        assertThat(variants).hasSize(4);
        assertThat(variants.get(0).candidate().weights()).containsExactly(1.25, 1.5, 5.0, 0.625);
        assertThat(variants.get(1).candidate().weights()).containsExactly(0.75, 2.5, 3.0, 0.375);
        assertThat(variants.get(0).change()).contains("+25 %", "−25 %");
        assertThat(variants.subList(2, 4)).extracting(v -> v.candidate().weighting())
                .containsExactly(Weighting.EQUAL, Weighting.UNCERTAINTY);
        assertThat(variants.get(2).change()).isEqualTo("equal instead of fixed");
        assertThat(variants).allSatisfy(v -> {
            assertThat(v.candidate().groups()).isEqualTo(c.groups());
            assertThat(v.candidate().settings()).isEqualTo(c.settings());
            assertThat(v.candidate().architecture()).isEqualTo(Architecture.MMOE);
            assertThat(v.candidate().experts()).isEqualTo(3);
            assertThat(v.candidate()).isNotEqualTo(c);
        });
    }

    @Test
    void weightingsWithoutWeightsGetTheirTwoNeighboursOnly() {
        Candidate c = new Candidate(List.of(0, 0, 1), List.of(1.0, 1.0, 1.0), Weighting.PCGRAD, SETTINGS);
        assertThat(Variants.of(c)).extracting(v -> v.candidate().weighting())
                .containsExactly(Weighting.CAGRAD, Weighting.IMTL);
    }

    @Test
    void everyWeightingHasTwoOtherNeighbours() {
        for (Weighting w : Weighting.values()) {
            assertThat(Variants.NEIGHBOURS.get(w)).as(w.id()).hasSize(2).doesNotContain(w).doesNotHaveDuplicates();
        }
    }

    @Test
    void separateModelsHaveNothingToVary() {
        Candidate c = new Candidate(List.of(0, 1, 2), List.of(1.0, 2.0, 3.0), Weighting.FIXED, SETTINGS);
        assertThat(Variants.of(c)).isEmpty();
    }
}

package dev.chorus.mtl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class CandidateTest {

    private static final TrainSettings S = new TrainSettings(16, 1, 0.01, 5, 32);

    private static Candidate of(Integer... groups) {
        return new Candidate(List.of(groups), java.util.Collections.nCopies(groups.length, 1.0), Weighting.EQUAL, S);
    }

    @Test
    void twoLabelingsOfOnePartitionAreEqual() {
        assertThat(of(2, 2, 0, 1)).isEqualTo(of(0, 0, 1, 2));
        assertThat(of(2, 2, 0, 1).groups()).containsExactly(0, 0, 1, 2);
        assertThat(of(0, 1, 0)).isNotEqualTo(of(0, 0, 1));
    }

    @Test
    void membersListTheTasksOfEachModel() {
        Candidate c = of(5, 3, 5, 9);
        assertThat(c.groupCount()).isEqualTo(3);
        assertThat(c.members()).containsExactly(List.of(0, 2), List.of(1), List.of(3));
    }

    @Test
    void lossWeightsCountOnlyUnderFixedWeighting() {
        Candidate a = new Candidate(List.of(0, 1), List.of(0.5, 2.0), Weighting.EQUAL, S);
        Candidate b = new Candidate(List.of(0, 1), List.of(3.0, 0.2), Weighting.EQUAL, S);
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a.weights()).containsExactly(1.0, 1.0);
        assertThat(new Candidate(List.of(0, 1), List.of(0.5, 2.0), Weighting.UNCERTAINTY, S).weights())
                .containsExactly(1.0, 1.0);
        Candidate fixed = new Candidate(List.of(0, 1), List.of(0.5, 2.0), Weighting.FIXED, S);
        assertThat(fixed.weights()).containsExactly(0.5, 2.0);
        assertThat(fixed).isNotEqualTo(new Candidate(List.of(0, 1), List.of(3.0, 0.2), Weighting.FIXED, S));
    }

    @Test
    void expertsCountOnlyForMmoe() {
        List<Double> ones = List.of(1.0, 1.0);
        Candidate a = new Candidate(List.of(0, 0), ones, Weighting.EQUAL, S, Architecture.HARD, 1, 3);
        Candidate b = new Candidate(List.of(0, 0), ones, Weighting.EQUAL, S, Architecture.HARD, 1, 5);
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a.experts()).isZero();
        assertThat(new Candidate(List.of(0, 0), ones, Weighting.EQUAL, S, Architecture.MMOE, 1, 3))
                .isNotEqualTo(new Candidate(List.of(0, 0), ones, Weighting.EQUAL, S, Architecture.MMOE, 1, 5));
    }

    /** A trial stored before weights were canonicalised reads back as the candidate that was trained. */
    @Test
    void jsonWithUnusedWeightsReadsBackCanonical() throws Exception {
        String stored = """
                {"groups":[0,1],"weights":[0.7,2.5],"weighting":"equal","settings":{"trunkWidth":16,"trunkDepth":1,\
                "learningRate":0.01,"epochs":5,"batchSize":32},"architecture":"hard","headDepth":0,"experts":4}""";
        ObjectMapper json = new ObjectMapper().findAndRegisterModules();
        Candidate read = json.readValue(stored, Candidate.class);
        assertThat(read).isEqualTo(new Candidate(List.of(0, 1), List.of(1.0, 1.0), Weighting.EQUAL, S));
        assertThat(json.readValue(json.writeValueAsString(read), Candidate.class)).isEqualTo(read);
    }

    @Test
    void refusesMismatchedLengths() {
        assertThatThrownBy(() -> new Candidate(List.of(0, 1), List.of(1.0), Weighting.EQUAL, S))
                .hasMessageContaining("one entry per task");
    }

    @Test
    void theSeparateTwinTrainsEveryTaskAloneWithTheSameSettings() {
        TrainSettings settings = new TrainSettings(64, 1, 0.005, 25, 32);
        Candidate shared = new Candidate(List.of(0, 0, 1), List.of(2.0, 0.5, 1.0), Weighting.FIXED, settings,
                Architecture.MMOE, 1, 3);
        Candidate twin = shared.separated();
        assertThat(shared.shares()).isTrue();
        assertThat(twin.shares()).isFalse();
        assertThat(twin.groups()).containsExactly(0, 1, 2);
        assertThat(twin.weighting()).isEqualTo(Weighting.EQUAL);
        assertThat(twin.weights()).containsOnly(1.0);
        assertThat(twin.settings()).isEqualTo(settings);
        assertThat(twin.architecture()).isEqualTo(Architecture.MMOE);
        assertThat(twin.headDepth()).isEqualTo(1);
        assertThat(twin.experts()).isEqualTo(3);
        assertThat(twin.separated()).isEqualTo(twin);
    }

    @Test
    void withOtherSettingsKeepsEverythingElse() {
        Candidate shared = new Candidate(List.of(0, 0, 1), List.of(2.0, 0.5, 1.0), Weighting.FIXED,
                new TrainSettings(64, 1, 0.005, 25, 32), Architecture.MMOE, 1, 3);
        TrainSettings tuned = new TrainSettings(32, 2, 0.003, 20, 32);
        Candidate twin = shared.withSettings(tuned);
        assertThat(twin.settings()).isEqualTo(tuned);
        assertThat(twin).isEqualTo(new Candidate(shared.groups(), shared.weights(), shared.weighting(), tuned,
                shared.architecture(), shared.headDepth(), shared.experts()));
        assertThat(twin.withSettings(shared.settings())).isEqualTo(shared);
    }
}

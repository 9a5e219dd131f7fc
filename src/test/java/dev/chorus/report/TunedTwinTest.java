package dev.chorus.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.mtl.Candidate;
import dev.chorus.mtl.TrainSettings;
import dev.chorus.mtl.Weighting;
import dev.chorus.spec.SpecParser;
import dev.chorus.spec.StudySpec;
import dev.chorus.trial.References;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link FrontAnalysis#tunedTwin}: a shared grouping with the settings its shared tasks' references use most. */
class TunedTwinTest {

    private static final StudySpec SPEC = SpecParser.parse("""
            name: twins
            dataset:
              synthetic: { rows: 100, features: 4, clusters: { a: [t1, t2, t3], b: [t4] } }
            tasks:
              - { name: t1, type: binary, metric: auc }
              - { name: t2, type: binary, metric: auc }
              - { name: t3, type: binary, metric: auc }
              - { name: t4, type: binary, metric: auc }
            baseline: { trunk-width: 16, trunk-depth: 2, learning-rate: 0.003, epochs: 5, batch-size: 32 }
            budget: { max-trials: 8 }
            """, Path.of("."));
    private static final TrainSettings OWN = new TrainSettings(8, 1, 0.01, 3, 32);
    private static final TrainSettings WIDE = new TrainSettings(64, 1, 0.005, 25, 32);
    private static final TrainSettings DEEP = new TrainSettings(32, 2, 0.002, 20, 32);
    private static final Map<Long, TrainSettings> SETTINGS = Map.of(10L, WIDE, 11L, DEEP, 12L, OWN);

    private static References.Reference ref(String task, Long trialId) {
        return new References.Reference(task, trialId, trialId == null ? null : trialId.intValue(), 3, null);
    }

    private static Candidate shared(List<Integer> groups) {
        return new Candidate(groups, List.of(2.0, 1.0, 0.5, 1.0), Weighting.FIXED, OWN);
    }

    @Test
    void takesTheSettingsMostOfTheSharedTasksReferencesUse() {
        // t1, t2 share; t3, t4 apart: only t1's and t2's references vote, and t4's (DEEP twice) does not count
        List<References.Reference> refs = List.of(ref("t1", 10L), ref("t2", 10L), ref("t3", 11L), ref("t4", 11L));
        Candidate twin = FrontAnalysis.tunedTwin(shared(List.of(0, 0, 1, 2)), SPEC, refs, SETTINGS::get).orElseThrow();
        assertThat(twin.settings()).isEqualTo(WIDE);
        assertThat(twin.groups()).isEqualTo(List.of(0, 0, 1, 2));
        assertThat(twin.weights()).isEqualTo(List.of(2.0, 1.0, 0.5, 1.0));
        assertThat(twin.weighting()).isEqualTo(Weighting.FIXED);
    }

    @Test
    void aFixedBaselineReferenceVotesForTheBaselineAndTiesGoToTheFirstTask() {
        // one vote each: t1's fixed baseline, t2's DEEP; t1 comes first
        List<References.Reference> refs = List.of(ref("t1", null), ref("t2", 11L), ref("t3", 10L), ref("t4", 10L));
        assertThat(FrontAnalysis.tunedTwin(shared(List.of(0, 0, 1, 2)), SPEC, refs, SETTINGS::get).orElseThrow()
                .settings()).isEqualTo(SPEC.baseline());
        List<References.Reference> swapped = List.of(ref("t1", 11L), ref("t2", null), ref("t3", 10L), ref("t4", 10L));
        assertThat(FrontAnalysis.tunedTwin(shared(List.of(0, 0, 1, 2)), SPEC, swapped, SETTINGS::get).orElseThrow()
                .settings()).isEqualTo(DEEP);
    }

    @Test
    void noTwinWhenTheReferencesUseItsOwnSettingsOrNothingIsShared() {
        List<References.Reference> own = List.of(ref("t1", 12L), ref("t2", 12L), ref("t3", 10L), ref("t4", 10L));
        assertThat(FrontAnalysis.tunedTwin(shared(List.of(0, 0, 1, 2)), SPEC, own, SETTINGS::get)).isEmpty();
        List<References.Reference> refs = List.of(ref("t1", 10L), ref("t2", 10L), ref("t3", 10L), ref("t4", 10L));
        assertThat(FrontAnalysis.tunedTwin(shared(List.of(0, 1, 2, 3)), SPEC, refs, SETTINGS::get)).isEmpty();
    }
}

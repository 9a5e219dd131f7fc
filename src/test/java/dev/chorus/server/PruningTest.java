package dev.chorus.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.NoBackgroundProfile;
import dev.chorus.TestStudies;
import dev.chorus.coordinator.Coordinator;
import dev.chorus.dispatch.TrialProtocol;
import dev.chorus.dispatch.Worker;
import dev.chorus.study.StudyService;
import dev.chorus.study.StudyState;
import dev.chorus.study.StudyStore;
import dev.chorus.worker.TrialTraining;
import dev.chorus.trial.FrontStore;
import dev.chorus.trial.Trial;
import dev.chorus.trial.TrialState;
import dev.chorus.trial.TrialStore;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Trials trained one by one (no background worker) under asynchronous successive halving. */
@QuarkusTest
@TestProfile(NoBackgroundProfile.class)
class PruningTest {

    @Inject
    StudyService studies;
    @Inject
    StudyStore store;
    @Inject
    Coordinator coordinator;
    @Inject
    TrialStore trials;
    @Inject
    FrontStore fronts;
    @Inject
    TrialService protocol;

    @Test
    void aCandidateAboveMaxParametersFailsUntrained() {
        TestStudies.pauseEveryRunningStudy(store);
        String yaml = TestStudies.tinyYaml().replace("budget:", "constraints:\n  max-parameters: 50\nbudget:");
        long id = studies.start(studies.create(yaml, Path.of(".")).id()).id();
        coordinator.tick();
        TrialProtocol.Assignment a = protocol.claim("test", Duration.ZERO).orElseThrow();
        assertThat(a.studyId()).isEqualTo(id);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new TrialTraining().run(a, protocol))
                .hasMessageContaining("above the study's constraints.max-parameters of 50");
        store.transition(id, StudyState.RUNNING, StudyState.CANCELLED, null, Instant.now());
    }

    @Test
    void trialsBehindTheirRungArePrunedAndKeepTheirCurves() throws Exception {
        TestStudies.pauseEveryRunningStudy(store);
        String yaml = TestStudies.tinyYaml().replace("  population: 4\n", "  population: 4\n  pruner: asha\n")
                .replace("epochs: { min: 2, max: 3 }", "epochs: { min: 4, max: 6 }").replace("max-trials: 8", "max-trials: 12");
        long id = studies.start(studies.create(yaml, Path.of(".")).id()).id();
        Worker worker = new Worker(protocol, new TrialTraining(), "test");
        for (int round = 0; round < 3; round++) {
            coordinator.tick();
            Optional<TrialProtocol.Assignment> next;
            while ((next = protocol.claim("test", Duration.ZERO)).isPresent()) {
                worker.runOne(next.get());
            }
        }
        worker.close();
        List<Trial> all = trials.list(id, 0, 100);
        assertThat(all).hasSize(12);
        List<Trial> pruned = all.stream().filter(t -> t.state() == TrialState.PRUNED).toList();
        assertThat(pruned).as("ASHA keeps only the top third at each rung").isNotEmpty();
        for (Trial t : pruned) {
            assertThat(trials.intermediate(t.id())).as("a pruned trial keeps its intermediate values").isNotEmpty();
            assertThat(t.results()).isEmpty();
        }
        assertThat(fronts.front(id)).extracting(Trial::state).containsOnly(TrialState.COMPLETE);
        coordinator.tick();
        assertThat(studies.get(id).state()).isEqualTo(StudyState.COMPLETED);
    }
}

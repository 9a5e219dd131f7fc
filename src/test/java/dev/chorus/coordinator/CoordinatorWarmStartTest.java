package dev.chorus.coordinator;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import dev.chorus.NoBackgroundProfile;
import dev.chorus.TestStudies;
import dev.chorus.mtl.train.TaskAffinity;
import dev.chorus.spec.StudySpec;
import dev.chorus.study.StudyData;
import dev.chorus.study.StudyRows;
import dev.chorus.study.StudyService;
import dev.chorus.study.StudyStore;
import dev.chorus.trial.Trial;
import dev.chorus.trial.TrialStore;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The TAG warm start driven by hand: the affinity is measured and stored at the first tick and seeds generation 0. */
@QuarkusTest
@TestProfile(NoBackgroundProfile.class)
class CoordinatorWarmStartTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Inject
    StudyService studies;
    @Inject
    Coordinator coordinator;
    @Inject
    TrialStore trials;
    @Inject
    StudyStore store;
    @Inject
    StudyData data;

    @BeforeEach
    void pauseOthers() {
        TestStudies.pauseEveryRunningStudy(store);
    }

    @Test
    void theFirstTickStoresTheAffinityAndGenerationZeroHoldsTheBestGrouping() {
        String yaml = TestStudies.tinyYaml().replace("  population: 4\n",
                "  population: 4\n  warm-start: affinity\n  affinity-epochs: 2\n");
        long id = studies.create(yaml, Path.of(".")).id();
        given().get("/api/studies/{id}/affinity", id).then().statusCode(404)
                .body(containsString("measured when the study's first generation is proposed"));
        studies.start(id);
        coordinator.tick();
        double[][] stored = store.affinity(id).orElseThrow();
        assertThat(stored).hasNumberOfRows(3);
        StudySpec spec = studies.spec(id);
        List<List<Integer>> groupings = StudyService.groupings(spec, stored);
        List<Trial> generation0 = trials.list(id, 0, Integer.MAX_VALUE);
        assertThat(generation0).hasSize(4);
        assertThat(generation0).extracting(t -> t.candidate().groups()).contains(groupings.getFirst());
        StudyRows prepared = data.of(id, spec);
        assertThat(TaskAffinity.measure(prepared.dataset(), prepared.split(), spec.tasks(), spec.baseline(), 2,
                spec.seed())).as("a restart measures the same matrix").isDeepEqualTo(stored);
        given().get("/api/studies/{id}/affinity", id).then().statusCode(200)
                .body("tasks", org.hamcrest.Matchers.contains("a1", "a2", "c1"))
                .body("affinity.size()", org.hamcrest.Matchers.is(3))
                .body("groupings[0]", org.hamcrest.Matchers.is(groupings.getFirst()));
    }

    @Test
    void aStudyWithoutWarmStartHasNoAffinity() {
        long id = studies.start(studies.create(TestStudies.tinyYaml(), Path.of(".")).id()).id();
        coordinator.tick();
        assertThat(store.affinity(id)).isEmpty();
        given().get("/api/studies/{id}/affinity", id).then().statusCode(404)
                .body(containsString("does not set search.warm-start: affinity"));
    }
}

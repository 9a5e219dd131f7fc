package dev.chorus.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chorus.NoBackgroundProfile;
import dev.chorus.mtl.Metric;
import dev.chorus.mtl.Task;
import dev.chorus.mtl.TaskType;
import dev.chorus.mtl.data.Split;
import dev.chorus.study.Study;
import dev.chorus.study.StudyState;
import dev.chorus.study.StudyStore;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@link StudyStore} contract, against the real PostgreSQL. */
@QuarkusTest
@TestProfile(NoBackgroundProfile.class)
class StudyStoreContractTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final List<Task> TASKS = List.of(new Task("x", TaskType.BINARY, Metric.AUC),
            new Task("y", TaskType.REGRESSION, Metric.RMSE));

    @Inject
    StudyStore store;

    static StudyStore.NewStudy newStudy(String name) {
        return new StudyStore.NewStudy(name, "name: " + name + "\n# verbatim ✓\n", "/tmp", 42, "nsga2", 10, 600, TASKS);
    }

    @Test
    void createKeepsEverythingVerbatimAndTasksInOrder() {
        Study s = store.create(newStudy("keep"), T0);
        Study read = store.find(s.id()).orElseThrow();
        assertThat(read.specYaml()).isEqualTo("name: keep\n# verbatim ✓\n");
        assertThat(read.state()).isEqualTo(StudyState.CREATED);
        assertThat(read.tasks()).isEqualTo(TASKS);
        assertThat(read.seed()).isEqualTo(42);
        assertThat(read.maxTrials()).isEqualTo(10);
        assertThat(read.createdAt()).isEqualTo(T0);
        assertThat(read.startedAt()).isNull();
    }

    @Test
    void transitionIsCompareAndSetAndStampsTimes() {
        Study s = store.create(newStudy("cas"), T0);
        assertThat(store.transition(s.id(), StudyState.CREATED, StudyState.RUNNING, null, T0.plusSeconds(1))).isTrue();
        assertThat(store.transition(s.id(), StudyState.CREATED, StudyState.RUNNING, null, T0.plusSeconds(2))).isFalse();
        assertThat(store.transition(s.id(), StudyState.RUNNING, StudyState.PAUSED, null, T0.plusSeconds(3))).isTrue();
        assertThat(store.transition(s.id(), StudyState.PAUSED, StudyState.RUNNING, null, T0.plusSeconds(4))).isTrue();
        Study running = store.find(s.id()).orElseThrow();
        assertThat(running.startedAt()).as("first start is kept").isEqualTo(T0.plusSeconds(1));
        assertThat(store.transition(s.id(), StudyState.RUNNING, StudyState.FAILED, "boom", T0.plusSeconds(5))).isTrue();
        Study failed = store.find(s.id()).orElseThrow();
        assertThat(failed.error()).isEqualTo("boom");
        assertThat(failed.finishedAt()).isEqualTo(T0.plusSeconds(5));
    }

    @Test
    void refusesMovesTheStateMachineForbids() {
        Study s = store.create(newStudy("forbidden"), T0);
        assertThatThrownBy(() -> store.transition(s.id(), StudyState.CREATED, StudyState.COMPLETED, null, T0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("created to completed");
    }

    @Test
    void aSplitIsStoredOnceAndComesBackEqual() {
        Study s = store.create(newStudy("split"), T0);
        assertThat(store.split(s.id())).isEmpty();
        Split first = new Split(new int[] {1, 3, 4}, new int[] {5, 6}, new int[] {9});
        StudyStore.StoredSplit stored = store.saveSplit(s.id(), new StudyStore.StoredSplit("abc", first), T0);
        assertThat(stored.dataHash()).isEqualTo("abc");
        assertThat(stored.split().train()).containsExactly(1, 3, 4);
        assertThat(stored.split().validation()).containsExactly(5, 6);
        assertThat(stored.split().test()).containsExactly(9);
        Split second = new Split(new int[] {0}, new int[] {1}, new int[] {2});
        assertThat(store.saveSplit(s.id(), new StudyStore.StoredSplit("def", second), T0).dataHash())
                .as("the first split stays").isEqualTo("abc");
    }

    @Test
    void anAffinityIsStoredOnceAndComesBackEqual() {
        Study s = store.create(newStudy("affinity"), T0);
        assertThat(store.affinity(s.id())).isEmpty();
        double[][] first = {{0.1, -0.0012345678901234}, {2.5e-7, 0.2}};
        assertThat(store.saveAffinity(s.id(), first, T0)).isDeepEqualTo(first);
        assertThat(store.affinity(s.id())).get().isEqualTo(first);
        assertThat(store.saveAffinity(s.id(), new double[][] {{1, 1}, {1, 1}}, T0)).as("the first matrix stays")
                .isDeepEqualTo(first);
    }

    @Test
    void listsNewestFirstAndByState() {
        Study a = store.create(newStudy("list-a"), T0);
        Study b = store.create(newStudy("list-b"), T0);
        store.transition(b.id(), StudyState.CREATED, StudyState.CANCELLED, null, T0);
        List<Long> ids = store.list().stream().map(Study::id).toList();
        assertThat(ids.indexOf(b.id())).isLessThan(ids.indexOf(a.id()));
        assertThat(store.listByState(StudyState.CANCELLED)).extracting(Study::id).contains(b.id()).doesNotContain(a.id());
        assertThat(store.find(-1)).isEmpty();
    }
}

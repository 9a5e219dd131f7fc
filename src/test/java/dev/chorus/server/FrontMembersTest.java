package dev.chorus.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.NoBackgroundProfile;
import dev.chorus.TestStudies;
import dev.chorus.mtl.Candidate;
import dev.chorus.mtl.Metric;
import dev.chorus.mtl.Task;
import dev.chorus.mtl.TaskType;
import dev.chorus.mtl.TrainSettings;
import dev.chorus.mtl.Weighting;
import dev.chorus.store.TestClaims;
import dev.chorus.study.Study;
import dev.chorus.study.StudyState;
import dev.chorus.study.StudyStore;
import dev.chorus.trial.ClaimStore;
import dev.chorus.trial.FrontStore;
import dev.chorus.trial.Trial;
import dev.chorus.trial.TrialStore;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A study's front members read once each, and always what {@link FrontStore#front} reads; against the real PostgreSQL. */
@QuarkusTest
@TestProfile(NoBackgroundProfile.class)
class FrontMembersTest {

    static final Instant T0 = Instant.parse("2031-04-01T00:00:00Z");

    @Inject
    StudyStore studies;
    @Inject
    TrialStore trials;
    @Inject
    ClaimStore claims;
    @Inject
    FrontStore fronts;

    /** The ids each {@code listFinished(study, ids)} call asked for. */
    private final List<List<Long>> loads = new ArrayList<>();

    @BeforeEach
    @AfterEach
    void pauseEveryRunningStudy() {
        TestStudies.pauseEveryRunningStudy(studies);
    }

    @SuppressWarnings("unchecked")
    private TrialStore counting() {
        return (TrialStore) Proxy.newProxyInstance(TrialStore.class.getClassLoader(), new Class<?>[] {TrialStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("listFinished") && args.length == 2) {
                        loads.add(List.copyOf((Collection<Long>) args[1]));
                    }
                    try {
                        return method.invoke(trials, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void membersAreReadOnceAndTheFrontIsAlwaysTheStoresFront() {
        Study s = studies.create(new StudyStore.NewStudy("front-members", "name: front-members\n", "/tmp", 42, "nsga2", 10,
                600, List.of(new Task("x", TaskType.BINARY, Metric.AUC), new Task("y", TaskType.REGRESSION, Metric.RMSE))),
                T0);
        studies.transition(s.id(), StudyState.CREATED, StudyState.RUNNING, null, T0);
        List<Trial> ts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ts.add(trials.insert(s.id(), 0, List.of(new Candidate(List.of(0, i % 2), List.of(1.0, 1.0 + i),
                    Weighting.FIXED, new TrainSettings(16, 1, 0.01, 5, 32))), T0).getFirst());
            TestClaims.complete(claims, TestClaims.claim(claims, "w", T0), List.of(), i, T0.plusSeconds(i));
        }
        FrontMembers members = new FrontMembers(fronts, counting());

        fronts.replaceFront(s.id(), List.of(ts.get(2).id(), ts.get(0).id()));
        assertThat(members.front(s.id())).isEqualTo(fronts.front(s.id())).extracting(Trial::number).containsExactly(0, 2);
        assertThat(loads).containsExactly(List.of(ts.get(0).id(), ts.get(2).id()));

        assertThat(members.front(s.id())).isEqualTo(fronts.front(s.id()));
        assertThat(loads).as("nothing new: nothing loaded").hasSize(1);

        fronts.replaceFront(s.id(), List.of(ts.get(3).id(), ts.get(2).id(), ts.get(1).id()));
        assertThat(members.front(s.id())).isEqualTo(fronts.front(s.id())).extracting(Trial::number).containsExactly(1, 2, 3);
        assertThat(loads).last().as("only the members not read before").isEqualTo(List.of(ts.get(1).id(), ts.get(3).id()));

        fronts.replaceFront(s.id(), List.of());
        assertThat(members.front(s.id())).isEmpty();
    }
}

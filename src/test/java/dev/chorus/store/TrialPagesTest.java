package dev.chorus.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chorus.NoBackgroundProfile;
import dev.chorus.error.ValidationException;
import dev.chorus.study.Study;
import dev.chorus.study.StudyStore;
import dev.chorus.trial.Trial;
import dev.chorus.trial.TrialState;
import dev.chorus.trial.TrialStore;
import dev.chorus.trial.TrialStore.TrialOrder;
import dev.chorus.trial.TrialStore.TrialQuery;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Keyset pages of {@link TrialStore#page} ({@link TrialPages}): the page after or before any trial is the
 * slice of the whole listing beside it, in every order and direction, with ties in the key and trials
 * without a value for it.
 */
@QuarkusTest
@TestProfile(NoBackgroundProfile.class)
class TrialPagesTest {

    static final int SIZE = 4;

    @Inject
    StudyStore studies;
    @Inject
    TrialStore trials;
    @Inject
    AgroalDataSource db;

    @Test
    void aKeysetPageIsTheSliceOfTheWholeListingBesideItsTrial() throws Exception {
        Study s = studies.create(StudyStoreContractTest.newStudy("keyset pages"), StudyStoreContractTest.T0);
        // 15 trials: complete with tied Δm, failed (no Δm), waiting (no Δm, never finished); tied models and times
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO trial (study_id, number, generation, candidate, models, state, attempts, delta_m, test_delta_m,
                                   created_at, finished_at)
                SELECT ?, k, 0, '{"groups":[0,0],"weights":[1.0,1.0],"weighting":"equal","settings":{"trunkWidth":8,
                       "trunkDepth":1,"learningRate":0.003,"epochs":3,"batchSize":64},"architecture":"hard","headDepth":0,
                       "experts":0}'::jsonb, 1 + k % 3,
                       (ARRAY['complete', 'failed', 'waiting'])[1 + k % 3], 1,
                       CASE WHEN k % 3 = 0 THEN (k % 4) - 1.5 END, CASE WHEN k % 3 = 0 THEN 0 END,
                       now(), CASE WHEN k % 3 < 2 THEN timestamptz '2026-01-01' + make_interval(secs => k % 4) END
                FROM generate_series(0, 14) k""")) {
            ps.setLong(1, s.id());
            ps.executeUpdate();
        }
        for (TrialOrder order : TrialOrder.values()) {
            for (boolean descending : new boolean[] {false, true}) {
                for (Set<TrialState> states : List.of(Set.<TrialState>of(), Set.of(TrialState.COMPLETE, TrialState.WAITING))) {
                    List<Integer> all = numbers(trials.page(s.id(), new TrialQuery(states, order, descending, 0, 100)));
                    assertThat(all).hasSize(states.isEmpty() ? 15 : 10);
                    for (int i = 0; i < all.size(); i++) {
                        String what = order + (descending ? " descending" : " ascending") + " " + states + " beside trial "
                                + all.get(i);
                        assertThat(numbers(trials.page(s.id(), new TrialQuery(states, order, descending, 0, SIZE,
                                all.get(i), null)))).as("after, " + what)
                                .isEqualTo(all.subList(i + 1, Math.min(all.size(), i + 1 + SIZE)));
                        assertThat(numbers(trials.page(s.id(), new TrialQuery(states, order, descending, 0, SIZE, null,
                                all.get(i))))).as("before, " + what).isEqualTo(all.subList(Math.max(0, i - SIZE), i));
                    }
                }
            }
        }
        assertThatThrownBy(() -> trials.page(s.id(), new TrialQuery(Set.of(), TrialOrder.NUMBER, false, 0, SIZE, 99,
                null))).isInstanceOf(ValidationException.class).hasMessageContaining("has no trial 99");
    }

    private static List<Integer> numbers(List<Trial> page) {
        return page.stream().map(Trial::number).toList();
    }
}

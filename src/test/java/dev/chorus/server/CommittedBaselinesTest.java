package dev.chorus.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.mtl.Metric;
import dev.chorus.trial.Baseline;
import dev.chorus.trial.BaselineStore;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which baselines are kept: only those said to be committed; everything else is read again. */
class CommittedBaselinesTest {

    /** Counts reads; rows may vanish, as a rolled-back transaction's would. */
    private static final class Rows implements BaselineStore {
        final Map<String, Baseline> rows = new HashMap<>();
        int reads;

        @Override
        public Optional<Baseline> find(String hash) {
            reads++;
            return Optional.ofNullable(rows.get(hash));
        }

        @Override
        public Baseline save(Baseline baseline) {
            return rows.computeIfAbsent(baseline.hash(), h -> baseline);
        }
    }

    private static Baseline baseline(String hash) {
        return new Baseline(hash, "churn", Metric.AUC, 0.8, 0.79, null, 1.0, Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Test
    void aRowIsReadFromTheStoreUntilItIsCommittedThenKept() {
        Rows store = new Rows();
        CommittedBaselines baselines = new CommittedBaselines(store);
        Baseline b = store.save(baseline("h1"));
        assertThat(baselines.find("h1")).contains(b);
        store.rows.clear(); // rolled back: a row read but never said committed is not kept
        assertThat(baselines.find("h1")).isEmpty();
        assertThat(store.reads).isEqualTo(2);

        baselines.committed(List.of(b));
        assertThat(baselines.find("h1")).contains(b);
        assertThat(baselines.find("h2")).as("an unknown hash is asked every time").isEmpty();
        assertThat(store.reads).isEqualTo(3);
    }

    @Test
    void whenFullItForgetsAndReadsAgain() {
        Rows store = new Rows();
        CommittedBaselines baselines = new CommittedBaselines(store);
        for (int i = 0; i < CommittedBaselines.MAX; i++) {
            baselines.committed(List.of(store.save(baseline("h" + i))));
        }
        baselines.find("h0");
        assertThat(store.reads).isZero();
        baselines.committed(List.of(store.save(baseline("one-more"))));
        assertThat(baselines.find("h0")).isPresent();
        assertThat(store.reads).isEqualTo(1);
    }
}

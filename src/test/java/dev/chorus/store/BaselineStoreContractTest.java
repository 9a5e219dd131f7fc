package dev.chorus.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.NoBackgroundProfile;
import dev.chorus.mtl.Metric;
import dev.chorus.mtl.TrainSettings;
import dev.chorus.trial.Baseline;
import dev.chorus.trial.BaselineStore;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The {@link BaselineStore} contract, against the real PostgreSQL. */
@QuarkusTest
@TestProfile(NoBackgroundProfile.class)
class BaselineStoreContractTest {

    @Inject
    BaselineStore store;

    private static Baseline baseline(String hash, double value) {
        return new Baseline(hash, "churn", Metric.AUC, value, value - 0.01, new TrainSettings(32, 2, 0.005, 10, 64), 1.5,
                StudyStoreContractTest.T0);
    }

    @Test
    void savedBaselinesComeBackEqual() {
        String hash = UUID.randomUUID().toString();
        assertThat(store.find(hash)).isEmpty();
        Baseline b = baseline(hash, 0.81);
        assertThat(store.save(b)).isEqualTo(b);
        assertThat(store.find(hash)).contains(b);
    }

    /** A stored row is never replaced: the second save gets the stored row back, for the caller to refuse. */
    @Test
    void theFirstSaveOfAHashWinsAndComesBackToTheSecond() {
        String hash = UUID.randomUUID().toString();
        Baseline first = store.save(baseline(hash, 0.81));
        Baseline other = baseline(hash, 0.5);
        Baseline stored = store.save(other);
        assertThat(stored).isEqualTo(first);
        assertThat(stored.sameValues(other)).as("the caller sees the values differ").isFalse();
        assertThat(store.find(hash)).contains(first);
    }

    /** The same values again (two workers trained it at once) are the same baseline, whenever and however long. */
    @Test
    void theSameValuesAgainAreTheSameBaseline() {
        String hash = UUID.randomUUID().toString();
        Baseline first = store.save(baseline(hash, 0.81));
        Baseline again = new Baseline(hash, "churn", Metric.AUC, 0.81, first.test(), null, 9.0, StudyStoreContractTest.T0.plusSeconds(60));
        assertThat(store.save(again).sameValues(again)).isTrue();
        assertThat(store.find(hash)).contains(first);
        assertThat(first.sameValues(baseline(hash, 0.81))).isTrue();
        assertThat(first.sameValues(new Baseline(hash, "other", Metric.AUC, 0.81, first.test(), null, 1.5,
                StudyStoreContractTest.T0))).as("another task").isFalse();
    }
}

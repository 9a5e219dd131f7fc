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

    @Test
    void theFirstSaveOfAHashWins() {
        String hash = UUID.randomUUID().toString();
        store.save(baseline(hash, 0.81));
        assertThat(store.save(baseline(hash, 0.5)).validation()).isEqualTo(0.81);
    }
}

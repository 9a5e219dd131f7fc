package dev.chorus.study;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.TestStudies;
import dev.chorus.spec.StudySpec;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The study data the coordinator keeps per study: the baseline keys it hands out and checks are those
 * {@link BaselineKeys} computes from the replicate's rows (what the worker computes too), kept per
 * replicate rather than hashed again for every claim and completion.
 */
@QuarkusTest
class StudyDataTest {

    @Inject
    StudyService studies;
    @Inject
    StudyData data;

    @Test
    void baselineKeysAreTheReplicatesOwnAndKeptOncePerReplicate() {
        long id = studies.create(TestStudies.tinyYaml(), Path.of(".")).id();
        StudySpec spec = studies.spec(id);
        StudyRows rows = data.of(id, spec);
        assertThat(data.dataHash(id, spec)).isEqualTo(rows.dataset().contentHash());
        for (int replicate = 0; replicate < 4; replicate++) {
            Map<String, String> kept = data.baselineKeys(id, spec, replicate);
            assertThat(kept).as("replicate %d", replicate).containsExactlyEntriesOf(BaselineKeys.of(id, spec,
                    rows.replicate(spec, replicate), Replicates.seed(spec, replicate)));
            assertThat(List.copyOf(kept.keySet())).as("in study order")
                    .isEqualTo(spec.tasks().stream().map(t -> t.name()).toList());
            assertThat(data.baselineKeys(id, spec, replicate)).as("kept, not computed again").isSameAs(kept);
        }
        assertThat(data.baselineKeys(id, spec, 1)).as("another replicate's rows and seed, other keys")
                .doesNotContainEntry(spec.tasks().getFirst().name(),
                        data.baselineKeys(id, spec, 0).get(spec.tasks().getFirst().name()));
    }
}

package dev.chorus.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.NoBackgroundProfile;
import dev.chorus.schedule.OvernightJob;
import dev.chorus.schedule.OvernightJobStore;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The {@link OvernightJobStore} contract, against the real PostgreSQL. */
@QuarkusTest
@TestProfile(NoBackgroundProfile.class)
class OvernightJobStoreContractTest {

    static final Instant T0 = Instant.parse("2031-01-01T00:00:00Z");

    @Inject
    OvernightJobStore jobs;

    private OvernightJob job(String name, Instant next) {
        return jobs.create(new OvernightJobStore.NewJob(name, "name: x", "/tmp", "0 22 * * *", "UTC", null, LocalTime.of(6, 0),
                null, "http://localhost:1/hook", next), T0);
    }

    @Test
    void jobsKeepTheirScheduleAndComeDueInOrder() {
        OvernightJob a = job("a", T0.plusSeconds(60));
        OvernightJob b = jobs.create(new OvernightJobStore.NewJob("b", "name: y", "/tmp", null, "Europe/Berlin", T0.plusSeconds(30), null,
                Duration.ofHours(8), null, T0.plusSeconds(30)), T0);
        assertThat(jobs.find(a.id())).get().satisfies(j -> {
            assertThat(j.cron()).isEqualTo("0 22 * * *");
            assertThat(j.stopBy()).isEqualTo(LocalTime.of(6, 0));
            assertThat(j.enabled()).isTrue();
        });
        assertThat(jobs.find(b.id()).orElseThrow().runFor()).isEqualTo(Duration.ofHours(8));
        assertThat(jobs.due(T0.plusSeconds(90))).extracting(OvernightJob::id).containsSubsequence(b.id(), a.id());
        assertThat(jobs.due(T0.plusSeconds(45))).extracting(OvernightJob::id).contains(b.id()).doesNotContain(a.id());
        assertThat(jobs.update(a.id(), false, T0.plusSeconds(60))).isTrue();
        assertThat(jobs.due(T0.plusSeconds(90))).extracting(OvernightJob::id).doesNotContain(a.id());
        assertThat(jobs.list()).extracting(OvernightJob::id).containsSubsequence(b.id(), a.id());
    }

    @Test
    void aScheduledTimeStartsOneRunAndARunEndsOnce() {
        OvernightJob a = job("runs", T0);
        Optional<OvernightJob.Run> run = jobs.startRun(a.id(), T0, null, T0.plusSeconds(2), T0.plusSeconds(3600), T0.plusSeconds(86_400));
        assertThat(run).isPresent();
        assertThat(jobs.startRun(a.id(), T0, null, T0.plusSeconds(5), null, T0.plusSeconds(99))).as("once").isEmpty();
        assertThat(jobs.find(a.id()).orElseThrow().nextRunAt()).isEqualTo(T0.plusSeconds(86_400));
        assertThat(jobs.openRuns()).extracting(OvernightJob.Run::id).contains(run.get().id());
        assertThat(jobs.finishRun(run.get().id(), "stopped", null, T0.plusSeconds(3600))).isTrue();
        assertThat(jobs.finishRun(run.get().id(), "completed", null, T0.plusSeconds(3700))).isFalse();
        assertThat(jobs.runs(a.id(), 10)).singleElement().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo("stopped");
            assertThat(r.stopAt()).isEqualTo(T0.plusSeconds(3600));
        });
    }

    @Test
    void aWebhookIsQueuedOnceAndRetriedUntilDelivered() {
        OvernightJob a = job("hooks", T0);
        OvernightJob.Run run = jobs.startRun(a.id(), T0, null, T0, null, null).orElseThrow();
        jobs.enqueueWebhook(run.id(), "http://x/hook", "{\"a\":1}", T0);
        jobs.enqueueWebhook(run.id(), "http://x/hook", "{\"a\":2}", T0);
        OvernightJobStore.Webhook hook = jobs.webhookOf(run.id()).orElseThrow();
        assertThat(hook.body()).isEqualTo("{\"a\":1}");
        assertThat(jobs.dueWebhooks(T0)).extracting(OvernightJobStore.Webhook::id).contains(hook.id());
        jobs.webhookAttempted(hook.id(), false, "HTTP 500", T0.plusSeconds(30), T0);
        assertThat(jobs.dueWebhooks(T0.plusSeconds(10))).extracting(OvernightJobStore.Webhook::id).doesNotContain(hook.id());
        jobs.webhookAttempted(hook.id(), true, null, null, T0.plusSeconds(30));
        assertThat(jobs.webhookOf(run.id()).orElseThrow()).satisfies(h -> {
            assertThat(h.attempts()).isEqualTo(2);
            assertThat(h.deliveredAt()).isEqualTo(T0.plusSeconds(30));
            assertThat(h.nextAttemptAt()).isNull();
        });
        assertThat(jobs.dueWebhooks(T0.plusSeconds(9_999))).extracting(OvernightJobStore.Webhook::id).doesNotContain(hook.id());
    }
}

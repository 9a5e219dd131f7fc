package dev.chorus.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** How many worker processes start on which devices, and how a worker reads its options. */
class WorkerSetupTest {

    private static final long GIB = 1L << 30;

    @Test
    void autoFitsProcessesToCoresAndMemory() {
        assertThat(LocalProcesses.devices("auto", "auto", 1, 2, 24 * GIB, 0)).containsExactly("cpu");
        assertThat(LocalProcesses.devices("auto", "auto", 1, 16, 128 * GIB, 0)).hasSize(8).containsOnly("cpu");
        assertThat(LocalProcesses.devices("auto", "auto", 1, 16, 6 * GIB, 0)).as("2 GiB a worker").hasSize(2);
        assertThat(LocalProcesses.devices("auto", "0", 1, 1, 1 * GIB, 0)).as("at least one").hasSize(1);
        assertThat(LocalProcesses.devices("3", "0", 1, 2, 24 * GIB, 0)).containsExactly("cpu", "cpu", "cpu");
        assertThat(LocalProcesses.devices("0", "auto", 1, 2, 24 * GIB, 0)).isEmpty();
    }

    @Test
    void withGpusSlotsPackSeveralWorkersOntoEachDevice() {
        assertThat(LocalProcesses.devices("auto", "auto", 3, 16, 128 * GIB, 2))
                .containsExactly("gpu:0", "gpu:0", "gpu:0", "gpu:1", "gpu:1", "gpu:1");
        assertThat(LocalProcesses.devices("auto", "1", 2, 16, 128 * GIB, 0)).containsExactly("gpu:0", "gpu:0");
        assertThat(LocalProcesses.devices("3", "2", 1, 16, 128 * GIB, 0)).as("round robin")
                .containsExactly("gpu:0", "gpu:1", "gpu:0");
        assertThatThrownBy(() -> LocalProcesses.devices("many", "0", 1, 2, GIB, 0))
                .hasMessageContaining("chorus.worker.processes must be auto or a number");
    }

    @Test
    void optionsComeFromFlagsThenEnvironment() {
        UUID claim = UUID.randomUUID();
        WorkerCommand.Options o = WorkerCommand.Options.parse(List.of("--name", "w1", "--idle-exit", "5m"),
                Map.of("CHORUS_COORDINATOR_URL", "http://chorus:8080", "CHORUS_DEVICE", "gpu:1",
                        "CHORUS_ASSIGNMENTS", "12:" + claim + ", 13:" + claim));
        assertThat(o.coordinator().toString()).isEqualTo("http://chorus:8080");
        assertThat(o.name()).isEqualTo("w1");
        assertThat(o.device()).isEqualTo("gpu:1");
        assertThat(o.idleExit()).isEqualTo(Duration.ofMinutes(5));
        assertThat(o.retryFor()).isEqualTo(Duration.ofMinutes(10));
        assertThat(o.assignments()).containsExactly(new JobAssignments.Claimed(12, claim), new JobAssignments.Claimed(13, claim));
        assertThat(WorkerCommand.Options.parse(List.of(), Map.of()).name()).startsWith("worker-");
    }

    @Test
    void badOptionsSayWhatIsWrong() {
        assertThatThrownBy(() -> WorkerCommand.Options.parse(List.of("--coordinator", "ftp://x"), Map.of()))
                .hasMessageContaining("http(s) URL");
        assertThatThrownBy(() -> WorkerCommand.Options.parse(List.of("--idle-exit", "soon"), Map.of()))
                .hasMessageContaining("not a duration such as 30s");
        assertThatThrownBy(() -> WorkerCommand.Options.parse(List.of("--assignments", "12"), Map.of()))
                .hasMessageContaining("--assignments:");
        assertThatThrownBy(() -> WorkerCommand.Options.parse(List.of("--frobnicate", "1"), Map.of()))
                .hasMessageContaining("unknown option --frobnicate");
        assertThatThrownBy(() -> WorkerCommand.Options.parse(List.of("--name"), Map.of())).hasMessageContaining("needs a value");
    }

    @Test
    void theWorkerCommandLineRunsThisArtifact() {
        List<String> cmd = new WorkerProcess("http://localhost:8080", "local-0", "gpu:1", 2, "-Xmx1g",
                List.of("--idle-exit", "1m")).command();
        assertThat(cmd).contains("-Dchorus.device=gpu:1", "-Dai.djl.pytorch.num_threads=2", "-Xmx1g", "worker",
                "--coordinator", "http://localhost:8080", "--name", "local-0", "--parent-pid", "--idle-exit");
        assertThat(cmd.indexOf("worker")).isGreaterThan(cmd.indexOf("-Xmx1g"));
    }
}

package dev.chorus.dispatch;

import com.sun.management.OperatingSystemMXBean;
import dev.chorus.config.ChorusConfig;
import dev.chorus.config.OwnFiles;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * Worker processes beside the coordinator ({@code chorus.worker.processes}): started once the HTTP
 * server listens, restarted when one dies (a native crash or an out-of-memory kill takes down that
 * worker, never the coordinator; the lease of the trial it held runs out and the trial is retried),
 * and stopped with the coordinator. Each writes its log to {@code <data dir>/../logs/worker-N.log}.
 *
 * @implNote One supervisor thread per worker; all state is per thread.
 */
@ApplicationScoped
class LocalProcesses {

    private static final Logger LOG = Logger.getLogger(LocalProcesses.class);

    private final ChorusConfig config;
    private final List<Thread> supervisors = new ArrayList<>();
    private final List<Process> live = new ArrayList<>();
    private volatile boolean running;

    private final WorkerCredentials tokens;

    LocalProcesses(ChorusConfig config, WorkerCredentials tokens) {
        this.config = config;
        this.tokens = tokens;
    }

    /** How many workers, on which devices: {@code gpus × slots} when there are GPUs, else {@code processes}. */
    static List<String> devices(String processes, String gpus, int slotsPerGpu, int cores, long memoryBytes,
                                int detectedGpus) {
        int gpuCount = gpus.equalsIgnoreCase("auto") ? detectedGpus : parse("chorus.worker.gpus", gpus);
        List<String> out = new ArrayList<>();
        if (processes.equalsIgnoreCase("auto") && gpuCount > 0) {
            for (int g = 0; g < gpuCount; g++) {
                for (int s = 0; s < Math.max(1, slotsPerGpu); s++) {
                    out.add("gpu:" + g);
                }
            }
            return out;
        }
        int n = processes.equalsIgnoreCase("auto")
                ? (int) Math.max(1, Math.min(cores / 2, (memoryBytes / (1L << 30) - 2) / 2))
                : parse("chorus.worker.processes", processes);
        for (int i = 0; i < n; i++) {
            out.add(gpuCount > 0 ? "gpu:" + (i % gpuCount) : "cpu");
        }
        return out;
    }

    private static int parse(String key, String value) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new IllegalArgumentException(key + " must be auto or a number of 0 or more, was '" + value + "'");
    }

    void start(@Observes @Priority(30) StartupEvent event) {
        long memory = ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
        int cores = Runtime.getRuntime().availableProcessors();
        List<String> devices = devices(config.worker().processes(), config.worker().gpus(),
                config.worker().slotsPerGpu(), cores, memory, detectGpus());
        if (devices.isEmpty()) {
            return;
        }
        running = true;
        int threads = Math.max(1, cores / devices.size());
        Path logs = OwnFiles.logs(config);
        for (int i = 0; i < devices.size(); i++) {
            int index = i;
            String device = devices.get(i);
            supervisors.add(Thread.ofPlatform().name("chorus-worker-process-" + i).daemon()
                    .start(() -> supervise(index, device, threads, logs)));
        }
        LOG.infof("Starting %d worker process(es) (%s), %d PyTorch thread(s) each; logs in %s", devices.size(),
                String.join(", ", devices), threads, logs);
    }

    private void supervise(int index, String device, int threads, Path logs) {
        long backoffMs = 1_000;
        for (int restarts = 0; running; restarts++) {
            Optional<String> url = coordinatorUrl();
            if (url.isEmpty()) {
                sleep(200);
                restarts--;
                continue;
            }
            String name = "local-" + index + "-" + ProcessHandle.current().pid() + (restarts == 0 ? "" : "-r" + restarts);
            WorkerProcess worker = new WorkerProcess(url.get(), name, device, threads, config.worker().jvmOptions(),
                    List.of());
            Path log = logs.resolve("worker-" + index + ".log");
            long started = System.nanoTime();
            try {
                Files.createDirectories(logs);
                ProcessBuilder builder = new ProcessBuilder(worker.command()).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
                // in the environment, not on the command line, where ps would show it to every user
                builder.environment().put("CHORUS_WORKER_TOKEN", tokens.localWorkerToken());
                Process p = builder.start();
                register(p);
                LOG.debugf("Worker process %d started (pid %d)", index, p.pid());
                int exit = p.waitFor();
                unregister(p);
                if (!running) {
                    return;
                }
                LOG.warnf("Worker process %d (pid %d) exited with code %d; restarting it. Its log: %s", index, p.pid(),
                        exit, log);
            } catch (IOException e) {
                LOG.errorf("Could not start worker process %d: %s", index, e.getMessage());
            } catch (InterruptedException e) {
                return;
            }
            backoffMs = System.nanoTime() - started > TimeUnit.MINUTES.toNanos(1) ? 1_000 : Math.min(backoffMs * 2, 60_000);
            sleep(backoffMs);
        }
    }

    /** {@code chorus.worker.coordinator-url}, else this server's own port on localhost, once it listens. */
    private Optional<String> coordinatorUrl() {
        if (config.worker().coordinatorUrl().isPresent()) {
            return config.worker().coordinatorUrl();
        }
        String key = LaunchMode.current() == LaunchMode.TEST ? "quarkus.http.test-port" : "quarkus.http.port";
        return ConfigProvider.getConfig().getOptionalValue(key, Integer.class)
                .filter(port -> port > 0).map(port -> "http://localhost:" + port);
    }

    private synchronized void register(Process p) {
        live.add(p);
    }

    private synchronized void unregister(Process p) {
        live.remove(p);
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        List<Process> processes;
        synchronized (this) {
            processes = List.copyOf(live);
        }
        processes.forEach(Process::destroy);
        for (Process p : processes) {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        supervisors.forEach(Thread::interrupt);
    }

    /** GPUs {@code nvidia-smi -L} lists; 0 when it is missing or fails. */
    private static int detectGpus() {
        try {
            Process p = new ProcessBuilder("nvidia-smi", "-L").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            return p.waitFor() == 0 ? (int) out.lines().filter(l -> l.startsWith("GPU ")).count() : 0;
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

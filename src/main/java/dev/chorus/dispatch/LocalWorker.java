package dev.chorus.dispatch;

import dev.chorus.config.ChorusConfig;
import dev.chorus.store.TrialStore;
import dev.chorus.trial.Trial;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.InstantSource;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * A worker thread inside the coordinator's process: claims waiting trials from the store and runs
 * them one after the other.
 *
 * @implNote One thread: PyTorch allows one open gradient collector per JVM, so training inside one
 *     process is serial; more throughput comes from more worker processes.
 */
@ApplicationScoped
class LocalWorker {

    private static final Logger LOG = Logger.getLogger(LocalWorker.class);

    private final TrialStore trials;
    private final TrialExecutor executor;
    private final ChorusConfig config;
    private final InstantSource clock;
    private final String name = ProcessHandle.current().pid() + "@" + hostName() + "/local";
    private volatile boolean running;
    private Thread thread;

    LocalWorker(TrialStore trials, TrialExecutor executor, ChorusConfig config, InstantSource clock) {
        this.trials = trials;
        this.executor = executor;
        this.config = config;
        this.clock = clock;
    }

    void start(@Observes @Priority(20) StartupEvent event) {
        if (!config.worker().enabled()) {
            LOG.info("In-process worker disabled (chorus.worker.enabled=false)");
            return;
        }
        running = true;
        thread = Thread.ofPlatform().name("chorus-worker").daemon().start(this::loop);
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.join(config.worker().poll().toMillis() + 5_000);
        }
    }

    private void loop() {
        while (running) {
            try {
                Optional<Trial> claimed = trials.claimNext(name, clock.instant());
                if (claimed.isEmpty()) {
                    Thread.sleep(config.worker().poll());
                } else {
                    run(claimed.get());
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (running) {
                    LOG.error("Worker could not claim a trial; trying again", e);
                    sleepQuietly();
                }
            }
        }
    }

    private void run(Trial trial) {
        try {
            executor.execute(trial);
        } catch (Exception | LinkageError e) {
            String why = e.getClass().getSimpleName() + ": " + e.getMessage();
            LOG.errorf(e, "Trial %d of study %d failed", trial.number(), trial.studyId());
            trials.fail(trial.id(), why, clock.instant());
        }
    }

    private void sleepQuietly() {
        try {
            Thread.sleep(config.worker().poll());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }
}

package dev.chorus.dispatch;

import dev.chorus.config.ChorusConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * A worker thread inside the coordinator's process ({@code chorus.worker.enabled}), speaking the trial
 * protocol to the coordinator directly. Off by default: training runs in worker processes, where a
 * native crash cannot take the coordinator down; tests and small setups turn it on.
 *
 * @implNote One thread: PyTorch allows one open gradient collector per JVM, so training inside one
 *     process is serial; more throughput comes from more worker processes.
 */
@ApplicationScoped
class LocalWorker {

    private static final Logger LOG = Logger.getLogger(LocalWorker.class);

    private final TrialProtocol coordinator;
    private final AssignmentRunner runner;
    private final ChorusConfig config;
    private volatile boolean running;
    private Thread thread;

    LocalWorker(TrialProtocol coordinator, AssignmentRunner runner, ChorusConfig config) {
        this.coordinator = coordinator;
        this.runner = runner;
        this.config = config;
    }

    void start(@Observes @Priority(20) StartupEvent event) {
        if (!config.worker().enabled()) {
            return;
        }
        running = true;
        Worker worker = new Worker(coordinator, runner, Workers.defaultName("in-process"));
        thread = Thread.ofPlatform().name("chorus-worker").daemon().start(() -> {
            while (running) {
                try {
                    worker.run(() -> running, config.worker().poll(), null);
                } catch (RuntimeException e) {
                    if (running) {
                        LOG.error("In-process worker could not claim a trial; trying again", e);
                        sleep();
                    }
                }
            }
            worker.close();
        });
        LOG.info("In-process worker started (chorus.worker.enabled=true)");
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.join(config.worker().poll().toMillis() + 5_000);
        }
    }

    private void sleep() {
        try {
            Thread.sleep(config.worker().poll());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}

package dev.chorus.dispatch.kubernetes;

import dev.chorus.config.PeriodicLoops;
import dev.chorus.dispatch.TrialProtocol;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.annotations.CommandLineArguments;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.InstantSource;
import org.jboss.logging.Logger;

/**
 * The loop around the {@link KubernetesDispatcher}: runs it every {@code chorus.kubernetes.interval}, as a
 * loop of {@link PeriodicLoops}, when {@code chorus.kubernetes.enabled=true} and this process serves (a
 * {@code worker} process never dispatches, even when it inherits the setting). When disabled nothing is
 * built or scheduled: no Kubernetes client, no connection attempt.
 */
@ApplicationScoped
class KubernetesDispatchLoop {

    private static final Logger LOG = Logger.getLogger(KubernetesDispatchLoop.class);

    @Inject
    KubernetesConfig config;

    @Inject
    Instance<TrialProtocol> protocol;

    @Inject
    InstantSource clock;

    @Inject
    @CommandLineArguments
    String[] args;

    @Inject
    PeriodicLoops loops;

    private KubernetesClient client;

    void start(@Observes StartupEvent event) {
        if (!config.enabled() || (args.length > 0 && "worker".equals(args[0]))) {
            return;
        }
        if (!protocol.isResolvable()) {
            throw new IllegalStateException("chorus.kubernetes.enabled=true needs the coordinator's trial protocol"
                    + " in this process; run the coordinator (serve) with it, not a worker");
        }
        client = new KubernetesClientBuilder().build();
        String namespace = client.getNamespace() == null ? "default" : client.getNamespace();
        DispatcherSettings settings = DispatcherSettings.of(config, namespace);
        KubernetesDispatcher dispatcher = new KubernetesDispatcher(client, settings, protocol.get(), clock);
        loops.start("chorus-kubernetes-dispatch", Duration.ZERO, config.interval(), () -> tick(dispatcher));
        LOG.infof("Kubernetes dispatch on: up to %d Job(s) of %d trial(s) and %d GPU(s) each in namespace %s at %s,"
                        + " image %s, every %s", settings.maxJobs(), settings.trialsPerJob(), settings.gpusPerJob(),
                settings.namespace(), client.getMasterUrl(), settings.image().orElse("(from the job template)"),
                config.interval());
    }

    private static void tick(KubernetesDispatcher dispatcher) {
        try {
            dispatcher.tick();
        } catch (RuntimeException e) {
            LOG.errorf("Kubernetes dispatch round failed (trying again next round): %s", e.getMessage());
        }
    }

    /** After {@link PeriodicLoops} stopped the loop: no round runs against a closed client. */
    void stop(@Observes ShutdownEvent event) {
        if (client != null) {
            client.close();
        }
    }
}

package dev.chorus.dispatch.kubernetes;

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
import java.time.InstantSource;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Runs the {@link KubernetesDispatcher} every {@code chorus.kubernetes.interval} on a daemon thread,
 * when {@code chorus.kubernetes.enabled=true} and this process serves (a {@code worker} process never
 * dispatches, even when it inherits the setting). When disabled nothing is built: no Kubernetes client,
 * no connection attempt.
 */
@ApplicationScoped
class KubernetesDispatch {

    private static final Logger LOG = Logger.getLogger(KubernetesDispatch.class);

    @Inject
    KubernetesConfig config;

    @Inject
    Instance<TrialProtocol> protocol;

    @Inject
    InstantSource clock;

    @Inject
    @CommandLineArguments
    String[] args;

    private KubernetesClient client;
    private ScheduledExecutorService loop;

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
        loop = Executors.newSingleThreadScheduledExecutor(
                r -> Thread.ofPlatform().name("chorus-kubernetes-dispatch").daemon().unstarted(r));
        long every = config.interval().toMillis();
        loop.scheduleWithFixedDelay(() -> tick(dispatcher), 0, every, TimeUnit.MILLISECONDS);
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

    void stop(@Observes ShutdownEvent event) {
        if (loop != null) {
            loop.shutdownNow();
        }
        if (client != null) {
            client.close();
        }
    }
}

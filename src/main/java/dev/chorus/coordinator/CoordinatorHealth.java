package dev.chorus.coordinator;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of the search loop: ready while the coordinator reached the database within the last
 * minute (the database's own readiness is Quarkus's datasource check, beside this one).
 */
@Readiness
@ApplicationScoped
class CoordinatorHealth implements HealthCheck {

    static final Duration STALE = Duration.ofMinutes(1);

    private final Coordinator coordinator;
    private final InstantSource clock;

    CoordinatorHealth(Coordinator coordinator, InstantSource clock) {
        this.coordinator = coordinator;
        this.clock = clock;
    }

    @Override
    public HealthCheckResponse call() {
        if (!coordinator.enabled()) {
            return HealthCheckResponse.named("coordinator").up().withData("loop", "disabled in this process").build();
        }
        Instant last = coordinator.lastTick();
        boolean fresh = last != null && Duration.between(last, clock.instant()).compareTo(STALE) < 0;
        return HealthCheckResponse.named("coordinator").status(last == null || fresh)
                .withData("lastTick", last == null ? "starting" : last.toString()).build();
    }
}

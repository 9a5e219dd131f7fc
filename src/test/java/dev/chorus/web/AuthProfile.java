package dev.chorus.web;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * Chorus as a shared server: no loopback convenience, an admin token and a worker token from
 * configuration, no background training (studies are created, not run).
 */
public class AuthProfile implements QuarkusTestProfile {

    static final String ADMIN = "test-admin-token-0123456789abcdef0123456789";
    static final String WORKER = "test-worker-token-0123456789abcdef012345678";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("chorus.auth.loopback-admin", "false", "chorus.auth.admin-token", ADMIN,
                "chorus.auth.worker-token", WORKER, "chorus.worker.enabled", "false",
                "chorus.coordinator.enabled", "false");
    }
}

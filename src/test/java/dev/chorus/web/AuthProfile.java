package dev.chorus.web;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * Chorus as a shared server: no loopback convenience, an admin token and a worker token from
 * configuration, no background training (studies are created, not run), behind a TLS proxy on this
 * machine whose {@code X-Forwarded-*} headers Quarkus believes (a trusted proxy at loopback).
 */
public class AuthProfile implements QuarkusTestProfile {

    static final String ADMIN = "test-admin-token-0123456789abcdef0123456789";
    static final String WORKER = "test-worker-token-0123456789abcdef012345678";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("chorus.auth.loopback-admin", "false", "chorus.auth.admin-token", ADMIN,
                "chorus.auth.worker-token", WORKER, "chorus.worker.enabled", "false",
                "chorus.coordinator.enabled", "false",
                "quarkus.http.proxy.proxy-address-forwarding", "true",
                "quarkus.http.proxy.allow-x-forwarded", "true",
                "quarkus.http.proxy.trusted-proxies", "127.0.0.1,::1");
    }
}

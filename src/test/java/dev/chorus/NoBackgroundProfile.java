package dev.chorus;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Runs the application without its coordinator loop and worker, so tests drive both by hand. */
public class NoBackgroundProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("chorus.worker.enabled", "false", "chorus.coordinator.enabled", "false");
    }
}

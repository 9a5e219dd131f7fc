package dev.chorus.dispatch.kubernetes;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Dispatcher settings for tests, read through the real config mapping from properties or variables. */
final class Settings {

    private Settings() {
    }

    /** Settings from {@code key, value, ...} pairs of {@code chorus.kubernetes.*} keys (without the prefix);
     * image and coordinator URL are set unless given as null. */
    static DispatcherSettings of(String... keyValues) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("chorus.kubernetes.image", "chorus:test");
        properties.put("chorus.kubernetes.coordinator-url", "http://chorus");
        for (int i = 0; i < keyValues.length; i += 2) {
            if (keyValues[i + 1] == null) {
                properties.remove("chorus.kubernetes." + keyValues[i]);
            } else {
                properties.put("chorus.kubernetes." + keyValues[i], keyValues[i + 1]);
            }
        }
        return from(new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(properties, "test", 100)));
    }

    /** Settings from environment variables such as a ConfigMap gives the coordinator. */
    static DispatcherSettings fromEnv(Map<String, String> variables) {
        return from(new SmallRyeConfigBuilder().withSources(new EnvConfigSource(variables, 300)));
    }

    private static DispatcherSettings from(SmallRyeConfigBuilder builder) {
        // durations as Quarkus reads them (5s, 30m), as in the application
        SmallRyeConfig config = builder.withConverter(Duration.class, 100, new DurationConverter())
                .withMapping(KubernetesConfig.class).build();
        return DispatcherSettings.of(config.getConfigMapping(KubernetesConfig.class), "test");
    }
}

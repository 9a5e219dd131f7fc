package dev.chorus.config;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.InstantSource;

/**
 * The clock every timestamp, lease and budget reads. The tests replace it with {@code dev.chorus.TestClock}
 * (a CDI alternative), which a test moves forward instead of sleeping.
 */
@Singleton
class Clocks {
    @Produces
    @Singleton
    InstantSource clock() {
        return InstantSource.system();
    }
}

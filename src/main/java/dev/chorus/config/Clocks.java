package dev.chorus.config;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.InstantSource;

/** The clock every timestamp comes from; tests replace it to control time without sleeping. */
@Singleton
class Clocks {
    @Produces
    @Singleton
    InstantSource clock() {
        return InstantSource.system();
    }
}

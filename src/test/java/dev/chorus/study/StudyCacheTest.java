package dev.chorus.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link StudyCache} computes again exactly when a study's key moved, and stays within its size. */
class StudyCacheTest {

    private final AtomicInteger computed = new AtomicInteger();

    private String value(long study, int key) {
        return study + "@" + key + "#" + computed.incrementAndGet();
    }

    @Test
    void aValueIsKeptWhileItsKeyStaysAndComputedAgainWhenItMoves() {
        StudyCache<Integer, String> cache = new StudyCache<>(8);
        assertThat(cache.get(1, 10, () -> value(1, 10))).isEqualTo("1@10#1");
        assertThat(cache.get(1, 10, () -> value(1, 10))).as("same key: held").isEqualTo("1@10#1");
        assertThat(cache.get(2, 10, () -> value(2, 10))).as("another study").isEqualTo("2@10#2");
        assertThat(cache.get(1, 11, () -> value(1, 11))).as("the key moved").isEqualTo("1@11#3");
        assertThat(cache.get(1, 10, () -> value(1, 10))).as("an older key is not held either").isEqualTo("1@10#4");
        assertThat(cache.get(2, 10, () -> value(2, 10))).isEqualTo("2@10#2");
    }

    @Test
    void beyondItsSizeItForgetsAndComputesAgain() {
        StudyCache<Integer, String> cache = new StudyCache<>(2);
        cache.get(1, 0, () -> value(1, 0));
        cache.get(2, 0, () -> value(2, 0));
        cache.get(3, 0, () -> value(3, 0));
        assertThat(cache.get(3, 0, () -> value(3, 0))).isEqualTo("3@0#3");
        assertThat(cache.get(1, 0, () -> value(1, 0))).as("forgotten").isEqualTo("1@0#4");
        assertThatThrownBy(() -> new StudyCache<>(0)).hasMessage("studies must be 1 or more, was 0");
    }
}

package dev.chorus.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.TestStudies;
import dev.chorus.mtl.Candidate;
import dev.chorus.mtl.TrainSettings;
import dev.chorus.mtl.Weighting;
import dev.chorus.search.Evaluated;
import dev.chorus.search.Sampler;
import dev.chorus.spec.SpecParser;
import dev.chorus.spec.StudySpec;
import dev.chorus.trial.Trial;
import dev.chorus.trial.TrialState;
import dev.chorus.trial.TrialStore;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The coordinator's incremental feed of each study's sampler: what a top-up reads, and that nothing missed stays missed. */
class SearchHistoryTest {

    static final Instant T0 = Instant.parse("2031-03-01T00:00:00Z");
    static final StudySpec SPEC = SpecParser.parse(TestStudies.tinyYaml(), Path.of("."));

    private final List<Trial> stored = new ArrayList<>();
    private final List<String> reads = new ArrayList<>();

    /** The three reads SearchHistory makes (the whole one paged), over {@link #stored}; any other call fails the test. */
    private final TrialStore store = (TrialStore) Proxy.newProxyInstance(TrialStore.class.getClassLoader(),
            new Class<?>[] {TrialStore.class}, (proxy, method, args) -> switch (method.getName()) {
                case "listFinishedAfter" -> { // the whole read, a page at a time: "all" once per read
                    int after = (Integer) args[1];
                    if (after == -1) {
                        reads.add("all");
                    }
                    yield stored.stream().filter(t -> t.number() > after)
                            .sorted(java.util.Comparator.comparingInt(Trial::number)).limit((Integer) args[2]).toList();
                }
                case "listFinished" -> { // a top-up: the trials told ended
                    java.util.Collection<?> ids = (java.util.Collection<?>) args[1];
                    reads.add("ids " + new java.util.TreeSet<>(ids));
                    yield stored.stream().filter(t -> ids.contains(t.id())).toList();
                }
                case "listFinishedSince" -> {
                    Instant since = (Instant) args[1];
                    reads.add("since " + Duration.between(T0, since).toSeconds());
                    yield stored.stream().filter(t -> !t.finishedAt().isBefore(since)).toList();
                }
                case "finishedPages" -> java.lang.reflect.InvocationHandler.invokeDefault(proxy, method, args); // pages of listFinishedAfter
                default -> throw new AssertionError("unexpected call " + method.getName());
            });

    private void finish(int number, Instant at) {
        Candidate c = new Candidate(List.of(0, 0, 1), List.of(1.0, 1.0, 1.0), Weighting.EQUAL,
                new TrainSettings(8 + number, 1, 0.003, 2, 64)); // one candidate per number
        stored.add(new Trial(number + 1, 1, number, 0, 0, null, null, c, TrialState.FAILED, 1, "w", null, null, "lost", T0, T0, at, List.of()));
    }

    /** A sampler that records what it observes, ignoring a candidate seen already as the contract says. */
    private static final class Recording implements Sampler {
        final Set<Candidate> observed = new LinkedHashSet<>();

        @Override
        public void observe(Evaluated trial) {
            observed.add(trial.candidate());
        }

        @Override
        public List<Candidate> sample(int generation, int count) {
            return List.of();
        }
    }

    private Recording sampler(SearchHistory history, Instant now) {
        return (Recording) history.of(1, SPEC, now, Recording::new);
    }

    @Test
    void topUpsReadTheTrialsToldEndedAndAFullReadCatchesWhatTheyMissed() {
        SearchHistory history = new SearchHistory(store);
        finish(0, T0.plusSeconds(10));
        Recording sampler = sampler(history, T0.plusSeconds(11));
        assertThat(sampler.observed).hasSize(1);
        assertThat(reads).containsExactly("all");
        assertThat(sampler(history, T0.plusSeconds(12))).isSameAs(sampler);
        assertThat(reads).as("nothing ended since: nothing read").containsExactly("all");

        finish(1, T0.plusSeconds(50));
        history.ended(1, stored.get(1).id());
        finish(2, T0.plusSeconds(5)); // committed late, stamped earlier: told all the same
        history.ended(1, stored.get(2).id());
        history.ended(1, 99); // given back and requeued: told, but not finished, so not listed
        history.ended(2, 98); // another study's
        sampler(history, T0.plusSeconds(60));
        assertThat(sampler.observed).hasSize(3);
        assertThat(reads).last().isEqualTo("ids [2, 3, 99]");
        sampler(history, T0.plusSeconds(61));
        assertThat(reads).as("each told trial is read once").hasSize(2);

        finish(3, T0.plusSeconds(55)); // failed when its lease ran out: nobody tells
        sampler(history, T0.plusSeconds(62));
        assertThat(sampler.observed).hasSize(3);
        history.endedUntold();
        sampler(history, T0.plusSeconds(63));
        assertThat(sampler.observed).as("after an expiry the top-up reads by time").hasSize(4);
        assertThat(reads).last().isEqualTo("since " + (50 - SearchHistory.OVERLAP.toSeconds()));

        finish(4, T0.minus(Duration.ofMinutes(10))); // untold and far outside the overlap: a top-up misses it
        history.endedUntold();
        sampler(history, T0.plusSeconds(70));
        assertThat(sampler.observed).hasSize(4);
        assertThat(reads).last().isEqualTo("since " + (55 - SearchHistory.OVERLAP.toSeconds()));
        sampler(history, T0.plus(SearchHistory.FULL_READ).plusSeconds(61));
        assertThat(sampler.observed).hasSize(5);
        assertThat(reads).last().isEqualTo("all");
    }

    @Test
    void tooManyToldTrialsAreReadByTimeInstead() {
        SearchHistory history = new SearchHistory(store);
        finish(0, T0.plusSeconds(10));
        Recording sampler = sampler(history, T0.plusSeconds(11));
        finish(1, T0.plusSeconds(20));
        for (long id = 1; id <= SearchHistory.MAX_TOLD + 1; id++) {
            history.ended(1, id);
        }
        sampler(history, T0.plusSeconds(30));
        assertThat(sampler.observed).hasSize(2);
        assertThat(reads).containsExactly("all", "since " + (10 - SearchHistory.OVERLAP.toSeconds()));
    }

    @Test
    void aForgottenStudyGetsANewSamplerFedFromTheWholeStore() {
        SearchHistory history = new SearchHistory(store);
        finish(0, T0.plusSeconds(1));
        Recording first = sampler(history, T0.plusSeconds(2));
        finish(1, T0.plusSeconds(3));
        history.keepOnly(List.of());
        Recording second = sampler(history, T0.plusSeconds(4));
        assertThat(second).isNotSameAs(first);
        assertThat(second.observed).containsExactly(stored.get(0).candidate(), stored.get(1).candidate());
        assertThat(reads).containsExactly("all", "all");
    }
}

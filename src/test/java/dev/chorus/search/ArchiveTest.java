package dev.chorus.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** NSGA-II's bounded elite archive against the whole history it stands for. */
class ArchiveTest {

    private static Evaluated trial(int i, int generation, double... objectives) {
        return Evaluated.of(Fixtures.candidate(List.of(0, 0, 0, 1, 1, 1), 1.0 + i), generation, objectives);
    }

    /** {@code n} trials of {@code m} uniform objectives, {@code perGeneration} to a generation. */
    private static List<Evaluated> uniform(long seed, int n, int m, int perGeneration) {
        Random random = new Random(seed);
        return IntStream.range(0, n).mapToObj(i -> trial(i, i / perGeneration, random.doubles(m).toArray())).toList();
    }

    private static Archive fill(int population, List<Evaluated> trials) {
        Archive archive = new Archive(population);
        trials.forEach(archive::add);
        return archive;
    }

    /** The best {@code n} by the crowded comparison, ties in canonical order. */
    private static Set<Evaluated> population(List<Evaluated> trials, int n) {
        Ranking ranking = Ranking.canonical(trials);
        return IntStream.of(ranking.order()).limit(n).mapToObj(ranking::trial).collect(java.util.stream.Collectors.toSet());
    }

    @Test
    void belowItsBoundItHoldsExactlyTheTrialsFewerThanAPopulationDominateWhateverTheOrder() {
        int population = 4;
        List<Evaluated> history = uniform(1, 600, 2, 8);
        Set<Evaluated> expected = new HashSet<>();
        for (Evaluated x : history) {
            long dominators = history.stream().filter(y -> Pareto.constrainedDominance(y, x) > 0).count();
            if (dominators < population) {
                expected.add(x);
            }
        }
        assertThat(expected.size()).as("the test stays below the bound").isLessThan(new Archive(population).capacity());
        for (int shuffle = 0; shuffle < 5; shuffle++) {
            List<Evaluated> shuffled = new ArrayList<>(history);
            Collections.shuffle(shuffled, new Random(shuffle));
            List<Evaluated> members = fill(population, shuffled).members();
            assertThat(new HashSet<>(members)).isEqualTo(expected);
            assertThat(population(members, population)).as("the population, as a full recomputation gives it")
                    .isEqualTo(population(history, population));
        }
    }

    @Test
    void itAlwaysHoldsFewerThanItsBound() {
        Archive archive = new Archive(3);
        Random random = new Random(2);
        for (int i = 0; i < 5_000; i++) {
            double a = random.nextDouble();
            archive.add(trial(i, i / 10, a, 1 - a)); // all on one front: none dominates another
            if (i % 10 == 9) {
                assertThat(archive.members()).hasSizeLessThan(archive.capacity());
            }
        }
        assertThat(archive.members()).hasSizeGreaterThanOrEqualTo(archive.capacity() / 2);
    }

    @Test
    void aDominatedNewcomerNeverDisplacesAMemberOfTheFront() {
        Archive archive = new Archive(2);
        List<Evaluated> front = new ArrayList<>();
        for (int i = 0; i < archive.capacity() / 2; i++) { // what a truncation keeps
            double a = 2 * i / (double) archive.capacity();
            front.add(trial(i, 0, a, 1 - a, 0.5));
        }
        front.forEach(archive::add);
        Random random = new Random(3);
        for (int i = 0; i < 1_000; i++) {
            Evaluated f = front.get(random.nextInt(front.size()));
            archive.add(trial(1_000 + i, 1 + i / 10, f.objective(0) - 1e-3, f.objective(1) - random.nextDouble(), 0.5));
            if (i % 10 == 9) {
                assertThat(archive.members()).containsAll(front);
            }
        }
    }

    @Test
    void generationByGenerationItEndsWhereARebuildFromTheStoreEnds() {
        // five objectives: far more trials than the bound are non-dominated, so truncations happen
        List<Evaluated> history = uniform(4, 2_000, 5, 40);
        Archive live = new Archive(4);
        for (int g = 0; g < 50; g++) {
            List<Evaluated> generation = new ArrayList<>(history.subList(40 * g, 40 * g + 40));
            Collections.shuffle(generation, new Random(g)); // the order trials finish in
            generation.forEach(live::add);
            live.members(); // the proposal of the next generation reads it
        }
        List<Evaluated> shuffled = new ArrayList<>(history);
        Collections.shuffle(shuffled, new Random(5));
        assertThat(new HashSet<>(fill(4, shuffled).members())).isEqualTo(new HashSet<>(live.members()))
                .hasSizeLessThan(live.capacity());
    }

    @Test
    void infeasibleTrialsLeaveOnceAPopulationOfFeasibleOnesDominatesThem() {
        Archive archive = new Archive(2);
        archive.add(Evaluated.infeasible(Fixtures.candidate(List.of(0, 1, 2, 3, 4, 5), 1.0), 0));
        assertThat(archive.members()).hasSize(1);
        archive.add(trial(1, 1, 0.0, 0.0));
        archive.add(trial(2, 1, 0.5, -0.5));
        assertThat(archive.members()).hasSize(2).allMatch(Evaluated::feasible);
    }
}

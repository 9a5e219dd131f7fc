package dev.chorus.search;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The groupings a sampler proposes before any other, so that a study tries both ends of the grouping
 * space at once and, when that space is small, every grouping before any grouping is tried again with
 * other settings. In order:
 * <ol>
 *   <li>the anchors: every task in one model, then every task in a model of its own (when
 *       {@code maxGroups} allows one model per task);</li>
 *   <li>the groupings the sampler prefers (the warm start's), in their order;</li>
 *   <li>when the partitions of the tasks into at most {@code maxGroups} models number at most the
 *       population size, every partition, in {@link Partitions#all} order. The limit is the
 *       population size, the size of a generation, rather than the study's budget: the whole grouping
 *       space then fits in generation 0 (in the first few proposals when they come fewer at a time, as in
 *       steady-state studies), and a larger one is left to the search instead of taking it over for
 *       several generations.</li>
 * </ol>
 * The sampler skips the groupings of the history and repeats of the list, so each call continues where
 * the last one stopped: the anchors always lead generation 0, and later generations lead with the
 * groupings not tried yet.
 *
 * @implNote Immutable and thread-safe.
 */
final class Coverage {

    private final List<List<Integer>> anchors;
    private final List<List<Integer>> every;

    /**
     * @param taskCount      the study's number of tasks (at least 1)
     * @param maxGroups      the most models of a candidate (at least 1)
     * @param populationSize the size of a generation (at least 1)
     */
    Coverage(int taskCount, int maxGroups, int populationSize) {
        if (populationSize < 1) {
            throw new IllegalArgumentException("populationSize must be at least 1, was " + populationSize);
        }
        List<List<Integer>> ends = new ArrayList<>();
        ends.add(Collections.nCopies(taskCount, 0));
        if (maxGroups >= taskCount && taskCount > 1) {
            ends.add(IntStream.range(0, taskCount).boxed().toList());
        }
        this.anchors = List.copyOf(ends);
        this.every = Partitions.count(taskCount, maxGroups) > populationSize ? List.of()
                : Partitions.all(taskCount, maxGroups).stream().map(l -> Arrays.stream(l).boxed().toList()).toList();
    }

    /**
     * The groupings to try first: the anchors, {@code preferred}, then every grouping when there are
     * at most population-size many. May hold repeats; the caller skips groupings already tried or
     * proposed.
     */
    List<List<Integer>> order(List<List<Integer>> preferred) {
        List<List<Integer>> out = new ArrayList<>(anchors);
        out.addAll(preferred);
        out.addAll(every);
        return out;
    }
}

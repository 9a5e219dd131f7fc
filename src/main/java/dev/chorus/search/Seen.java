package dev.chorus.search;

import dev.chorus.mtl.Candidate;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The trials a sampler has seen finish, kept as they come: their keys and their candidates' keys
 * ({@link CandidateKeys}, 32 bytes a trial), so that a trial read twice counts once and no candidate is
 * proposed again, and which of the groupings {@link Coverage} asks for first have been
 * tried. Only those groupings are remembered (at most the anchors, the warm start's and the population
 * size), so the memory grows with the trials by the keys alone.
 *
 * @implNote Not thread-safe: its sampler guards it.
 */
final class Seen {

    private final int taskCount;
    private final Set<List<Integer>> watched;
    private final Set<List<Integer>> groupings = new HashSet<>();
    private final CandidateKeys candidates = new CandidateKeys();
    private final CandidateKeys trials = new CandidateKeys();

    /**
     * @param taskCount the study's number of tasks
     * @param watched   the groupings whose trial matters to the sampler, in canonical form
     *                  ({@link Candidate#canonical})
     */
    Seen(int taskCount, Set<List<Integer>> watched) {
        this.taskCount = taskCount;
        this.watched = Set.copyOf(watched);
    }

    /**
     * Records a finished trial and its candidate.
     *
     * @return false when the same trial (candidate, generation, feasibility and objectives) was seen
     *     already: observing a trial again changes nothing, whatever the order
     * @throws IllegalArgumentException if it has another number of tasks than the sampler searches
     */
    boolean add(Evaluated trial) {
        Candidate c = Objects.requireNonNull(trial, "trial").candidate();
        if (c.groups().size() != taskCount) {
            throw new IllegalArgumentException("a trial of a candidate for " + c.groups().size()
                    + " tasks was observed, the sampler searches " + taskCount + ": " + c);
        }
        if (!trials.add(trial)) {
            return false;
        }
        candidates.add(c);
        if (watched.contains(c.groups())) {
            groupings.add(c.groups());
        }
        return true;
    }

    /** Watches the given groupings, as the codec's candidates hold them ({@link Draws#grouping}). */
    static Seen watching(CandidateCodec codec, List<List<Integer>> groupings) {
        return new Seen(codec.taskCount(), groupings.stream().map(g -> Draws.grouping(codec, g))
                .collect(Collectors.toSet()));
    }

    /** Whether the candidate was seen. */
    boolean knows(Candidate c) {
        return candidates.contains(c);
    }

    /** Whether a trial had this grouping (canonical form), among the groupings watched. */
    boolean tried(List<Integer> grouping) {
        return groupings.contains(grouping);
    }

    /** Distinct candidates seen. */
    int size() {
        return candidates.size();
    }
}

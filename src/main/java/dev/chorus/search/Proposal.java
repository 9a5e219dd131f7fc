package dev.chorus.search;

import dev.chorus.mtl.Candidate;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The candidates of one {@link Sampler#sample} call as it builds them: each new to what the sampler
 * has {@link Seen} and to the call, at most {@code count}. Leaves {@link Seen} alone, so that a proposal
 * depends on the observed trials only.
 *
 * @implNote Not thread-safe; lives for one call.
 */
final class Proposal {

    private final Seen seen;
    private final int count;
    private final Set<Candidate> out = new LinkedHashSet<>();
    private final Set<List<Integer>> groupings = new HashSet<>();

    Proposal(Seen seen, int count) {
        this.seen = seen;
        this.count = count;
    }

    /** Whether {@code count} candidates are in. */
    boolean full() {
        return out.size() >= count;
    }

    /** Takes the candidate if there is room and it is new; returns whether it was taken. */
    boolean offer(Candidate c) {
        return !full() && !seen.knows(c) && out.add(c);
    }

    /** As {@link #offer}, and its grouping must be new to the sampler's watched groupings and the call too. */
    boolean offerGrouping(Candidate c) {
        if (seen.tried(c.groups()) || groupings.contains(c.groups()) || !offer(c)) {
            return false;
        }
        groupings.add(c.groups());
        return true;
    }

    /** The candidates taken, in order; immutable. */
    List<Candidate> candidates() {
        return List.copyOf(out);
    }
}

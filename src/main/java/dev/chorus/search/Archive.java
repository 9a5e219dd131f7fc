package dev.chorus.search;

import java.util.ArrayList;
import java.util.List;

/**
 * NSGA-II's elite archive: the finished trials its population can still be drawn from, fewer than
 * {@link #capacity()} of them, kept up to date as trials finish instead of ranking every trial ever run
 * on every proposal.
 *
 * <p>NSGA-II's population is the best {@code populationSize} trials by constraint-domination rank, then
 * crowding distance. A trial that {@code populationSize} others dominate can never be among them (its
 * dominators all rank before it, now and after any later trial), so the archive drops it for good:
 * <ul>
 *   <li>a newcomer that {@code populationSize} members dominate is not admitted;</li>
 *   <li>a member is dropped once {@code populationSize} admitted trials have dominated it.</li>
 * </ul>
 * A dropped trial keeps {@code populationSize} members that dominate it (whoever drops one of them
 * dominates it too), so while no truncation happens the archive holds exactly the trials of the whole
 * history that fewer than {@code populationSize} others dominate, whatever the order they came in, and
 * its ranks, fronts and population are those of the whole history.
 *
 * <p>When that set outgrows the bound (many objectives, where most trials dominate each other rarely),
 * the archive is truncated as NSGA-II truncates a population: once it holds
 * {@code capacity} trials, it keeps the best half by rank, then crowding distance, then the canonical
 * order of {@link Ranking#CANONICAL} (half, so that a truncation, which ranks the whole archive, comes
 * at most once every {@code capacity / 2} admissions). A dominated newcomer therefore never
 * displaces a member of the first front; members of the first front are dropped only when that front
 * alone exceeds half the bound, the most crowded first. From then on the archive approximates the whole
 * history's ranking, and what it holds depends on the order in which trials arrived.
 *
 * <p>Arrival order is made canonical where it can be: {@link #add} only queues a trial, and the queue
 * is admitted in {@link Ranking#CANONICAL} order (generation first) when {@link #members} is read. A
 * generational study reads it once per generation, after the whole generation finished, so the archive
 * is the same whether it was filled generation by generation or rebuilt at once from the store.
 *
 * @implNote Not thread-safe: its sampler guards it. Admitting a trial compares it with the members,
 *     {@code O(capacity · objectives)}, and stops at the {@code populationSize}-th dominator; a
 *     truncation ranks the members, {@code O(capacity²)}, at most once per {@code capacity / 2}
 *     admissions. Memory: the queue until the next read, and fewer than {@code capacity} members.
 */
final class Archive {

    /** The bound, in populations: the archive holds fewer than this many times the population size. */
    static final int CAPACITY_PER_POPULATION = 16;

    private static final class Member {
        final Evaluated trial;
        int dominatedBy;

        Member(Evaluated trial, int dominatedBy) {
            this.trial = trial;
            this.dominatedBy = dominatedBy;
        }
    }

    private final int populationSize;
    private final int capacity;
    private final List<Member> members = new ArrayList<>();
    private final List<Evaluated> queue = new ArrayList<>();

    /** @param populationSize the number of trials that parent a generation (at least 1) */
    Archive(int populationSize) {
        if (populationSize < 1) {
            throw new IllegalArgumentException("populationSize must be at least 1, was " + populationSize);
        }
        this.populationSize = populationSize;
        this.capacity = CAPACITY_PER_POPULATION * populationSize;
    }

    /** Queues a finished trial; it is admitted, or not, at the next {@link #members()}. */
    void add(Evaluated trial) {
        queue.add(trial);
    }

    /** The bound: the archive holds fewer members; a truncation keeps half of it. */
    int capacity() {
        return capacity;
    }

    /** The members after admitting the queue, in no particular order; a copy. */
    List<Evaluated> members() {
        if (!queue.isEmpty()) {
            queue.sort(Ranking.CANONICAL);
            for (Evaluated trial : queue) {
                admit(trial);
            }
            queue.clear();
        }
        return members.stream().map(m -> m.trial).toList();
    }

    private void admit(Evaluated newcomer) {
        int dominatedBy = 0;
        for (Member m : members) {
            if (Pareto.constrainedDominance(m.trial, newcomer) > 0 && ++dominatedBy >= populationSize) {
                return; // never in a population
            }
        }
        members.removeIf(m -> Pareto.constrainedDominance(newcomer, m.trial) > 0 && ++m.dominatedBy >= populationSize);
        members.add(new Member(newcomer, dominatedBy));
        if (members.size() >= capacity) {
            truncate();
        }
    }

    /** Keeps the best half of {@link #capacity} members by rank, crowding distance, then canonical order. */
    private void truncate() {
        members.sort((a, b) -> Ranking.CANONICAL.compare(a.trial, b.trial));
        Ranking ranking = Ranking.of(members.stream().map(m -> m.trial).toList());
        int[] best = ranking.order();
        List<Member> kept = new ArrayList<>(capacity / 2);
        for (int i = 0; i < capacity / 2; i++) {
            kept.add(members.get(best[i]));
        }
        members.clear();
        members.addAll(kept);
    }
}

package dev.chorus.server;

import dev.chorus.spec.StudySpec;
import dev.chorus.study.Objectives;
import dev.chorus.trial.Trial;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The non-dominated part of trials offered one at a time, as {@link FrontKeeper}'s front is defined: among
 * the feasible ones ({@link Objectives#feasible}), or among all while none is. Built for reading a study a
 * page at a time: it holds the non-dominated trials seen so far (those of the feasible ones, and those of
 * all for the case where none is feasible), never the study.
 *
 * <p>A trial that some trial dominates is dropped for good: whoever dominates it is kept, or was dropped
 * for a trial that dominates both (dominance is transitive). So the result is the non-dominated set of
 * every trial offered, in the order they were offered, the same set and order as
 * {@code Pareto.nonDominated} over the whole list. Equal vectors do not dominate each other: both are kept.
 *
 * @implNote Not thread-safe; one per computation. Offering a trial compares it with the trials kept,
 *     {@code O(front · objectives)}, so a study of {@code n} configurations costs {@code O(n · front)}
 *     instead of the pairwise {@code O(n²)}.
 */
final class StreamedFront {

    private final StudySpec spec;
    private final List<Entry> feasible = new ArrayList<>();
    private final List<Entry> all = new ArrayList<>();

    /** A trial kept, with its objectives (maximised) and what the caller attached to it. */
    record Entry(Trial trial, double[] objectives, Object tag) {
    }

    StreamedFront(StudySpec spec) {
        this.spec = spec;
    }

    /** Offers a trial (its means over runs, for a configuration) with a tag the result hands back. */
    void offer(Trial trial, Object tag) {
        Entry e = new Entry(trial, Objectives.of(spec, trial), tag);
        if (Objectives.feasible(spec, trial)) {
            keepIfNotDominated(feasible, e);
        }
        if (feasible.isEmpty()) {
            keepIfNotDominated(all, e); // only read while no trial is feasible
        }
    }

    /** The non-dominated feasible trials, or the non-dominated ones of all while none is feasible. */
    List<Entry> entries() {
        return List.copyOf(feasible.isEmpty() ? all : feasible);
    }

    /** {@link #entries}' trials. */
    List<Trial> trials() {
        return entries().stream().map(Entry::trial).toList();
    }

    private static void keepIfNotDominated(List<Entry> kept, Entry e) {
        for (Entry k : kept) {
            if (io.jenetics.ext.moea.Pareto.dominance(k.objectives(), e.objectives()) > 0) {
                return;
            }
        }
        for (Iterator<Entry> it = kept.iterator(); it.hasNext(); ) {
            if (io.jenetics.ext.moea.Pareto.dominance(e.objectives(), it.next().objectives()) > 0) {
                it.remove();
            }
        }
        kept.add(e);
    }
}

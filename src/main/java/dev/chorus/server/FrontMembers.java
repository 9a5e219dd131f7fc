package dev.chorus.server;

import dev.chorus.trial.FrontStore;
import dev.chorus.trial.Trial;
import dev.chorus.trial.TrialStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A study's Pareto front members with their results, as {@link FrontStore#front} reads them, but with each
 * member's trial read from the database once: the front's ids are read every time, and only the members
 * not seen before are loaded. A front member is a finished first run, and a finished trial never changes,
 * so a member once read stays exact; whatever else a caller needs that can change (a member's repeats,
 * which members there are) it reads itself. Every completion reads the front once or twice (its update,
 * its hypervolume), so without this each read loaded every member's results again: on a front of a few
 * hundred members the largest part of a completion.
 *
 * @implNote Thread-safe. Holds at most {@link #CAPACITY} trials, the least recently used leaving first;
 *     about 2 KB each with six tasks' results.
 */
@ApplicationScoped
class FrontMembers {

    static final int CAPACITY = 4_096;

    private final FrontStore fronts;
    private final TrialStore trials;
    private final Map<Long, Trial> read = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Trial> eldest) {
            return size() > CAPACITY;
        }
    };

    @Inject
    FrontMembers(FrontStore fronts, TrialStore trials) {
        this.fronts = fronts;
        this.trials = trials;
    }

    /** The study's front members with results, in number order: {@link FrontStore#front}. */
    List<Trial> front(long studyId) {
        List<Long> ids = fronts.frontIds(studyId);
        List<Trial> members = new ArrayList<>(ids.size());
        List<Long> missing = new ArrayList<>();
        synchronized (read) {
            for (long id : ids) {
                Trial t = read.get(id);
                if (t == null) {
                    missing.add(id);
                } else {
                    members.add(t);
                }
            }
        }
        if (!missing.isEmpty()) {
            List<Trial> loaded = trials.listFinished(studyId, missing);
            if (loaded.size() != missing.size()) { // not a finished first run after all: read it as it is
                return fronts.front(studyId);
            }
            synchronized (read) {
                loaded.forEach(t -> read.put(t.id(), t));
            }
            members.addAll(loaded);
        }
        members.sort(Comparator.comparingInt(Trial::number));
        return members;
    }
}

package dev.chorus.server;

import dev.chorus.trial.Runs;
import dev.chorus.trial.Trial;
import dev.chorus.trial.TrialStore;
import java.util.List;
import java.util.Map;

/**
 * A study's front as one update of a batch found it ({@link TrialRecorder#takeOwed}): its members' first
 * runs, their repeats by first run, and their means. Valid until an update changes the front or a member's
 * runs.
 */
record FrontRuns(List<Trial> firsts, Map<Long, List<Trial>> runs, List<Trial> means) {

    static FrontRuns of(List<Trial> firsts, TrialStore trials) {
        Map<Long, List<Trial>> runs = Runs.byFirstRun(trials.repeats(firsts.stream().map(Trial::id).toList()));
        return new FrontRuns(firsts, runs, firsts.stream()
                .map(t -> Runs.of(t, runs.getOrDefault(t.id(), List.of())).mean()).toList());
    }
}

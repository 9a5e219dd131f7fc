package dev.chorus.report;

import dev.chorus.coordinator.ConfirmationTarget;
import dev.chorus.coordinator.StabilityTarget;
import dev.chorus.trial.Runs;
import dev.chorus.trial.Trial;
import dev.chorus.trial.TrialStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/**
 * What the coordinator runs after the search, as the report sees it: the confirmation's configurations
 * ({@link FrontAnalysis#confirmationTargets}) and the stability check's target, the configuration the
 * report recommends first ({@link FrontAnalysis#recommended}).
 */
@ApplicationScoped
class RecommendedTarget implements StabilityTarget, ConfirmationTarget {

    private final FrontAnalysis analysis;
    private final TrialStore trials;

    RecommendedTarget(FrontAnalysis analysis, TrialStore trials) {
        this.analysis = analysis;
        this.trials = trials;
    }

    @Override
    public Plan plan(long studyId) {
        return analysis.confirmationPlan(studyId);
    }

    @Override
    public Optional<Target> of(long studyId) {
        return analysis.recommended(studyId).map(m -> {
            Trial first = trials.find(m.trialId()).orElseThrow();
            Runs runs = Runs.of(first, trials.repeats(List.of(first.id())));
            return new Target(first, runs.runs().stream().map(Trial::replicate).toList());
        });
    }
}

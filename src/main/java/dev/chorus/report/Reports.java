package dev.chorus.report;

import dev.chorus.mtl.Task;
import dev.chorus.study.Study;
import dev.chorus.study.StudyService;
import dev.chorus.study.StudySpec;
import dev.chorus.store.TrialStore;
import dev.chorus.trial.Trial;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Builds the read-only views of a study's results. */
@ApplicationScoped
public class Reports {

    private final StudyService studies;
    private final TrialStore trials;

    Reports(StudyService studies, TrialStore trials) {
        this.studies = studies;
        this.trials = trials;
    }

    /** The study's current Pareto front (empty until a trial completes). */
    public ParetoFront front(long studyId) {
        Study study = studies.get(studyId);
        StudySpec spec = studies.spec(studyId);
        List<String> objectives = new ArrayList<>();
        for (Task t : spec.tasks()) {
            objectives.add(t.name() + " " + t.metric().id() + (t.direction().sign() > 0 ? " (max)" : " (min)"));
        }
        if (spec.modelsObjective()) {
            objectives.add("models (min)");
        }
        List<ParetoFront.Member> members = trials.front(studyId).stream()
                .sorted(Comparator.comparing(Trial::deltaM, Comparator.nullsLast(Comparator.reverseOrder())))
                .map(t -> new ParetoFront.Member(t.id(), t.number(), t.candidate().groupCount(),
                        t.candidate().members().stream()
                                .map(g -> g.stream().map(i -> study.tasks().get(i).name()).toList()).toList(),
                        t.candidate().weighting().id(), t.deltaM(), t.results(),
                        spec.constraints().violations(t.results())))
                .toList();
        return new ParetoFront(studyId, objectives, members);
    }
}

package dev.chorus.coordinator;

import dev.chorus.mtl.Candidate;
import dev.chorus.trial.Trial;
import java.util.List;

/**
 * Names the configurations a study's answer rests on once its search is over, so that the coordinator
 * can give them the confirmation's runs ({@code evaluation.confirm}). Which configurations those are is
 * the report's to say, so the report implements this and the coordinator, which adds the runs, asks
 * through it.
 *
 * <p>Implementations read the store in the caller's transaction, choose nothing by a test metric, and
 * must be thread-safe.
 */
public interface ConfirmationTarget {

    /**
     * What to confirm now; empty when nothing is recommended yet.
     *
     * @param studyId the study whose search is over
     */
    Plan plan(long studyId);

    /**
     * @param configurations the first runs of the configurations to bring to {@code confirm} runs: the
     *                       report's shortlist (its recommendation, the knee and the best validation gain
     *                       from sharing), the twins of shortlisted members that the study has trained
     *                       (separate ones, and tuned ones with {@code evaluation.tuned-twins}), and every
     *                       task's tuned reference that is a configuration of the study (not the fixed
     *                       baseline), without repeats
     * @param missing        candidates the study has not trained yet that the answer needs: the separate twin
     *                       ({@link Candidate#separated()}) of each shortlisted member that shares a model and
     *                       gains on validation, a single-task reference so that a gain from sharing is never
     *                       a gain of its settings alone; with {@code evaluation.tuned-twins} also the tuned
     *                       twin ({@link Candidate#withSettings}) of each shortlisted member that shares a
     *                       model, so that its sharing is tried with its references' settings; the
     *                       coordinator adds them as new configurations, and once trained they are among
     *                       {@code configurations}
     */
    record Plan(List<Trial> configurations, List<Candidate> missing) {
        public Plan {
            configurations = List.copyOf(configurations);
            missing = List.copyOf(missing);
        }

        public static final Plan NONE = new Plan(List.of(), List.of());
    }
}

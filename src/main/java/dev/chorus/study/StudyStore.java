package dev.chorus.study;

import dev.chorus.mtl.Task;
import dev.chorus.mtl.data.Split;
import dev.chorus.study.Study;
import dev.chorus.study.StudyState;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Stored studies.
 *
 * @implNote Implementations are thread-safe and take part in the caller's transaction when there is
 *     one; each method is atomic on its own otherwise.
 */
public interface StudyStore {

    /** Stores a new study in state {@link StudyState#CREATED}, with its tasks, and returns it. */
    Study create(NewStudy study, Instant now);

    Optional<Study> find(long id);

    /** Every study, newest first. */
    List<Study> list();

    /** Up to {@code limit} studies with ids below {@code belowId}, newest first: a page read by keyset. */
    List<Study> list(long belowId, int limit);

    /** How many studies there are. */
    int count();

    /** Studies in the given state, oldest first. */
    List<Study> listByState(StudyState state);

    /**
     * Moves a study from {@code from} to {@code to} if it is still in {@code from} (compare and set).
     * Sets {@code started_at} on its first move to running and {@code finished_at} on a move to a
     * finished state.
     *
     * @return false when the study was not in {@code from} (someone else moved it first)
     */
    boolean transition(long id, StudyState from, StudyState to, String error, Instant now);

    /** The split stored with a study, if any. */
    Optional<StoredSplit> split(long studyId);

    /**
     * Stores a study's split unless one is stored already (concurrent callers agree on the first).
     *
     * @return the split stored for the study
     */
    StoredSplit saveSplit(long studyId, StoredSplit split, Instant now);

    /** The task-affinity matrix stored with a study (rows and columns in task order), if any. */
    Optional<double[][]> affinity(long studyId);

    /**
     * Stores a study's task-affinity matrix unless one is stored already (the first one stays).
     *
     * @return the matrix stored for the study
     */
    double[][] saveAffinity(long studyId, double[][] affinity, Instant now);

    /** A study's train/validation/test rows and the content hash of the data they index. */
    record StoredSplit(String dataHash, Split split) {
    }

    /** What {@link #create} needs. */
    record NewStudy(String name, String specYaml, String baseDir, long seed, String sampler, int maxTrials,
                    long maxWallClockSeconds, List<Task> tasks) {
    }
}

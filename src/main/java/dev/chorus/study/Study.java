package dev.chorus.study;

import dev.chorus.mtl.Task;
import java.time.Instant;
import java.util.List;

/**
 * A snapshot of a stored study.
 *
 * @param specYaml the search-space file exactly as submitted
 * @param baseDir  the folder relative paths in the file are resolved against
 * @param tasks    the study's tasks in file order
 */
public record Study(long id, String name, StudyState state, long seed, String sampler, int maxTrials,
                    long maxWallClockSeconds, String specYaml, String baseDir, List<Task> tasks, String error,
                    Instant createdAt, Instant startedAt, Instant finishedAt) {
    public Study {
        tasks = List.copyOf(tasks);
    }

    public Study withTasks(List<Task> newTasks) {
        return new Study(id, name, state, seed, sampler, maxTrials, maxWallClockSeconds, specYaml, baseDir, newTasks, error,
                createdAt, startedAt, finishedAt);
    }
}

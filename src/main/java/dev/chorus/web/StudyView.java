package dev.chorus.web;

import dev.chorus.mtl.Task;
import dev.chorus.study.Study;
import dev.chorus.study.StudyService;
import java.time.Instant;
import java.util.List;

/** A study as the API shows it: its settings and progress, without the file text. */
public record StudyView(long id, String name, String state, String sampler, long seed, int maxTrials,
                        long maxWallClockSeconds, List<TaskView> tasks, int finishedTrials, Double bestDeltaM,
                        Integer bestTrial, String error, Instant createdAt, Instant startedAt, Instant finishedAt) {

    /** A task with its metric and direction. */
    public record TaskView(String name, String type, String metric, String direction) {
        static TaskView of(Task t) {
            return new TaskView(t.name(), t.type().id(), t.metric().id(), t.direction().name().toLowerCase());
        }
    }

    static StudyView of(Study s, StudyService.Progress p) {
        boolean any = p.bestTrial() >= 0;
        return new StudyView(s.id(), s.name(), s.state().id(), s.sampler(), s.seed(), s.maxTrials(),
                s.maxWallClockSeconds(), s.tasks().stream().map(TaskView::of).toList(), p.finished(),
                any ? p.bestDeltaM() : null, any ? p.bestTrial() : null, s.error(), s.createdAt(), s.startedAt(),
                s.finishedAt());
    }
}

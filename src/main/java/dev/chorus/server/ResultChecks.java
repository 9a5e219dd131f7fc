package dev.chorus.server;

import dev.chorus.dispatch.TrialProtocol.Completion;
import dev.chorus.dispatch.TrialProtocol.NewBaseline;
import dev.chorus.dispatch.TrialProtocol.Result;
import dev.chorus.error.UserText;
import dev.chorus.mtl.Task;
import dev.chorus.spec.StudySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What a worker's completion must be before anything of it is stored: one result per task of the study,
 * each value a finite number within its metric's range ({@code Metric.admits}), each baseline named by
 * the key the coordinator computed for the task in this assignment, and each baseline sent along under
 * such a key with values in range and a training time of 0 seconds or more. Every problem names the
 * field, the task, the value and what is allowed. Pure functions.
 */
final class ResultChecks {

    private ResultChecks() {
    }

    /**
     * The problems of {@code completion}, empty when it may be recorded.
     *
     * @param keys   task name to the baseline key of this assignment ({@code BaselineKeys})
     * @param stored whether a baseline is stored under a key
     */
    static List<String> problems(StudySpec spec, Completion completion, Map<String, String> keys,
                                 Predicate<String> stored) {
        List<String> problems = new ArrayList<>();
        List<String> names = spec.tasks().stream().map(Task::name).toList();
        List<String> sent = completion.baselines().stream().map(b -> b == null ? null : b.hash()).toList();
        for (int i = 0; i < completion.results().size(); i++) {
            Result r = completion.results().get(i);
            String at = "results[" + i + "]";
            Optional<Task> task = r == null ? Optional.empty() : task(spec, r.task());
            if (task.isEmpty()) {
                problems.add(at + ".task: one of " + names + " (a result for each task of the study), was "
                        + (r == null ? "null" : shown(r.task())));
                continue;
            }
            Task t = task.get();
            value(problems, at + ".validation", t, r.validation());
            value(problems, at + ".test", t, r.test());
            String key = keys.get(t.name());
            if (!key.equals(r.baselineHash())) {
                problems.add(at + ".baselineHash: task " + t.name() + "'s baseline key for this trial is " + key
                        + " (the assignment's tasks[].baselineHash), was " + shown(r.baselineHash()));
            } else if (!sent.contains(key) && !stored.test(key)) {
                problems.add(at + ".baselineHash: no baseline " + key + " is stored; train task " + t.name()
                        + " alone and send it in baselines[] with this hash");
            }
        }
        for (String name : names) {
            long count = completion.results().stream().filter(r -> r != null && name.equals(r.task())).count();
            if (count != 1) {
                problems.add("results: task " + name + " must appear exactly once, found " + count + " times");
            }
        }
        for (int i = 0; i < completion.baselines().size(); i++) {
            baseline(problems, "baselines[" + i + "]", spec, completion.baselines().get(i), keys);
        }
        for (String name : names) {
            long count = completion.baselines().stream().filter(b -> b != null && name.equals(b.task())).count();
            if (count > 1) {
                problems.add("baselines: task " + name + " sent " + count + " times; send each baseline once");
            }
        }
        return problems;
    }

    private static void baseline(List<String> problems, String at, StudySpec spec, NewBaseline b,
                                 Map<String, String> keys) {
        Optional<Task> task = b == null ? Optional.empty() : task(spec, b.task());
        if (task.isEmpty()) {
            problems.add(at + ".task: one of " + spec.tasks().stream().map(Task::name).toList() + ", was "
                    + (b == null ? "null" : shown(b.task())));
            return;
        }
        Task t = task.get();
        String key = keys.get(t.name());
        if (!key.equals(b.hash())) {
            problems.add(at + ".hash: task " + t.name() + "'s baseline key for this trial is " + key
                    + " (the assignment's tasks[].baselineHash), was " + shown(b.hash())
                    + "; a baseline is accepted only under its key");
        }
        value(problems, at + ".validation", t, b.validation());
        value(problems, at + ".test", t, b.test());
        if (!Double.isFinite(b.trainSeconds()) || b.trainSeconds() < 0) {
            problems.add(at + ".trainSeconds: how long task " + t.name() + "'s baseline trained, a finite number "
                    + ">= 0, was " + b.trainSeconds());
        }
    }

    private static void value(List<String> problems, String field, Task task, Double value) {
        if (value == null) {
            problems.add(field + ": task " + task.name() + "'s " + task.metric().id() + ", " + task.metric().range()
                    + ", is missing");
        } else if (!task.metric().admits(value)) {
            problems.add(outOfRange(field, task, value));
        }
    }

    /** The problem of a value outside its metric's range: field, task, metric, what is allowed, the value. */
    static String outOfRange(String field, Task task, double value) {
        return field + ": task " + task.name() + "'s " + task.metric().id() + " must be " + task.metric().range()
                + ", was " + value;
    }

    private static Optional<Task> task(StudySpec spec, String name) {
        return spec.tasks().stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** Text from the request as a message may quote it: one line, capped. */
    private static String shown(String text) {
        return text == null ? "null" : "'" + UserText.loggable(text) + "'";
    }
}

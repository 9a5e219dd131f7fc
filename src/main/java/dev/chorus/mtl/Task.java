package dev.chorus.mtl;

import java.util.Objects;

/**
 * One prediction task of a study: the label column it reads and how it is judged.
 *
 * @param name   unique within a study; also the label column's name
 * @param type   what is predicted
 * @param metric the primary metric, which the search optimises and baselines are compared on
 */
public record Task(String name, TaskType type, Metric metric) {
    public Task {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(metric, "metric");
        if (!metric.appliesTo(type)) {
            throw new IllegalArgumentException("task '" + name + "': metric " + metric.id()
                    + " does not apply to a " + type.id() + " task; allowed: " + Metric.allowedFor(type));
        }
    }

    public Direction direction() {
        return metric.direction();
    }
}

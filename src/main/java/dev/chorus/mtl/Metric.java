package dev.chorus.mtl;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** The metrics a task can be judged by, each with its direction and the task types it applies to. */
public enum Metric {
    ACCURACY(Direction.MAXIMIZE, EnumSet.of(TaskType.BINARY, TaskType.MULTICLASS)),
    AUC(Direction.MAXIMIZE, EnumSet.of(TaskType.BINARY)),
    F1(Direction.MAXIMIZE, EnumSet.of(TaskType.BINARY)),
    MACRO_F1(Direction.MAXIMIZE, EnumSet.of(TaskType.MULTICLASS)),
    RMSE(Direction.MINIMIZE, EnumSet.of(TaskType.REGRESSION)),
    MAE(Direction.MINIMIZE, EnumSet.of(TaskType.REGRESSION)),
    R2(Direction.MAXIMIZE, EnumSet.of(TaskType.REGRESSION));

    private final Direction direction;
    private final Set<TaskType> types;

    Metric(Direction direction, Set<TaskType> types) {
        this.direction = direction;
        this.types = types;
    }

    public Direction direction() {
        return direction;
    }

    public boolean appliesTo(TaskType type) {
        return types.contains(type);
    }

    /** The lower-case name used in search-space files and JSON ({@code macro_f1}, {@code r2}). */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The metric used when a search-space file names none. */
    public static Metric defaultFor(TaskType type) {
        return switch (type) {
            case BINARY -> AUC;
            case MULTICLASS -> ACCURACY;
            case REGRESSION -> RMSE;
        };
    }

    /** The metrics allowed for a task type, as a comma-separated list for error messages. */
    public static String allowedFor(TaskType type) {
        return Arrays.stream(values()).filter(m -> m.appliesTo(type)).map(Metric::id)
                .collect(Collectors.joining(", "));
    }

    /**
     * Parses a metric name for a task of the given type.
     *
     * @throws IllegalArgumentException naming the metrics allowed for {@code type}
     */
    public static Metric parse(String text, TaskType type) {
        for (Metric m : values()) {
            if (m.id().equalsIgnoreCase(text.trim()) && m.appliesTo(type)) {
                return m;
            }
        }
        throw new IllegalArgumentException("metric '" + text + "' does not apply to a " + type.id()
                + " task; allowed: " + allowedFor(type));
    }
}

package dev.chorus.mtl;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The metrics a task can be judged by, each with its direction, the task types it applies to and the
 * values it can take: every value Chorus stores for a metric, from its own trainer or a worker's, is a
 * finite number within {@link #admits its range}.
 */
public enum Metric {
    ACCURACY(Direction.MAXIMIZE, EnumSet.of(TaskType.BINARY, TaskType.MULTICLASS), 0, 1),
    AUC(Direction.MAXIMIZE, EnumSet.of(TaskType.BINARY), 0, 1),
    F1(Direction.MAXIMIZE, EnumSet.of(TaskType.BINARY), 0, 1),
    MACRO_F1(Direction.MAXIMIZE, EnumSet.of(TaskType.MULTICLASS), 0, 1),
    /**
     * Cross-entropy of the predicted probabilities (scikit-learn's {@code log_loss}): a proper scoring
     * rule that reads every probability, not only its rank or its side of 0.5, so on few test labels it
     * varies less from split to split than AUC or accuracy.
     */
    LOG_LOSS(Direction.MINIMIZE, EnumSet.of(TaskType.BINARY, TaskType.MULTICLASS), 0, Double.POSITIVE_INFINITY),
    RMSE(Direction.MINIMIZE, EnumSet.of(TaskType.REGRESSION), 0, Double.POSITIVE_INFINITY),
    MAE(Direction.MINIMIZE, EnumSet.of(TaskType.REGRESSION), 0, Double.POSITIVE_INFINITY),
    /** R² is 1 for a perfect fit and has no lower bound (a model worse than the mean is negative). */
    R2(Direction.MAXIMIZE, EnumSet.of(TaskType.REGRESSION), Double.NEGATIVE_INFINITY, 1);

    private final Direction direction;
    private final Set<TaskType> types;
    private final double min;
    private final double max;

    Metric(Direction direction, Set<TaskType> types, double min, double max) {
        this.direction = direction;
        this.types = types;
        this.min = min;
        this.max = max;
    }

    /** Whether {@code value} is a value this metric can take: finite, and within {@link #range()}. */
    public boolean admits(double value) {
        return Double.isFinite(value) && value >= min && value <= max;
    }

    /** The values {@link #admits} accepts, for messages: "a finite number in [0, 1]", "... >= 0", "... <= 1". */
    public String range() {
        if (Double.isInfinite(max)) {
            return "a finite number >= " + bound(min);
        }
        if (Double.isInfinite(min)) {
            return "a finite number <= " + bound(max);
        }
        return "a finite number in [" + bound(min) + ", " + bound(max) + "]";
    }

    private static String bound(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
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

package dev.chorus.mtl;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a task predicts. */
public enum TaskType {
    /** Two classes, labels 0 and 1. */
    BINARY,
    /** Two or more classes, labels 0..k-1. */
    MULTICLASS,
    /** A real-valued target. */
    REGRESSION;

    /** The lower-case name used in search-space files and JSON. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a name as written in a search-space file.
     *
     * @throws IllegalArgumentException naming the allowed values when {@code text} is none of them
     */
    public static TaskType parse(String text) {
        for (TaskType t : values()) {
            if (t.id().equalsIgnoreCase(text.trim())) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown task type '" + text + "'; allowed: " + allowed());
    }

    static String allowed() {
        return Arrays.stream(values()).map(TaskType::id).collect(Collectors.joining(", "));
    }
}

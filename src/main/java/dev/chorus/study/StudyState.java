package dev.chorus.study;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The life of a study: created → running ⇄ paused → completed | failed | cancelled. Only a running
 * study gets new trials and has its waiting trials claimed.
 */
public enum StudyState {
    CREATED, RUNNING, PAUSED, COMPLETED, FAILED, CANCELLED;

    public boolean isFinished() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }

    /** Whether a user (or the coordinator) may move a study from this state to {@code next}. */
    public boolean canMoveTo(StudyState next) {
        return allowedNext().contains(next);
    }

    /** The states reachable from this one. */
    public Set<StudyState> allowedNext() {
        return switch (this) {
            case CREATED -> EnumSet.of(RUNNING, CANCELLED);
            case RUNNING -> EnumSet.of(PAUSED, COMPLETED, FAILED, CANCELLED);
            case PAUSED -> EnumSet.of(RUNNING, CANCELLED);
            case COMPLETED, FAILED, CANCELLED -> EnumSet.noneOf(StudyState.class);
        };
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static StudyState fromId(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}

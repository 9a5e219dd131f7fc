package dev.chorus.trial;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The closed set of states a trial moves through: waiting → running → complete | pruned | failed. */
public enum TrialState {
    /** Queued; any worker may claim it. */
    WAITING,
    /** Claimed by one worker, which alone may finish it. */
    RUNNING,
    /** Trained and evaluated; its per-task results are stored. */
    COMPLETE,
    /** Stopped early by a pruner; its intermediate values are kept. */
    PRUNED,
    /** Gave an error, or ran out of attempts; the error text is stored. */
    FAILED;

    /** True for the states a trial never leaves. */
    public boolean isFinished() {
        return this == COMPLETE || this == PRUNED || this == FAILED;
    }

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static TrialState fromId(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}

package dev.chorus.mtl;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How the task losses of one model are combined into the loss that is minimised. */
public enum Weighting {
    /** Every task loss counts once: the plain sum. */
    EQUAL,
    /** Each task loss is multiplied by the candidate's searched weight for that task. */
    FIXED;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the allowed values */
    @JsonCreator
    public static Weighting parse(String text) {
        for (Weighting w : values()) {
            if (w.id().equalsIgnoreCase(text.trim())) {
                return w;
            }
        }
        throw new IllegalArgumentException("unknown weighting '" + text + "'; allowed: "
                + Arrays.stream(values()).map(Weighting::id).collect(Collectors.joining(", ")));
    }
}

package dev.chorus.mtl;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How the tasks of one model share parameters. Width and depth of the shared part come from
 * {@link TrainSettings}; {@link Candidate#headDepth()} and {@link Candidate#experts()} shape the rest.
 */
public enum Architecture {
    /**
     * Hard parameter sharing (Caruana 1997): {@code trunkDepth} shared layers, then per task
     * {@code headDepth} private layers and an output layer.
     */
    HARD("hard"),
    /**
     * Multi-gate Mixture-of-Experts (Ma et al., KDD 2018): {@code experts} MLP experts of the trunk's
     * shape, one softmax gate per task over them, then the task's tower of {@code headDepth} layers.
     */
    MMOE("mmoe"),
    /**
     * Cross-stitch networks (Misra et al., CVPR 2016): one trunk-shaped column per task, the columns'
     * activations linearly mixed by learned cross-stitch units after every layer.
     */
    CROSS_STITCH("cross-stitch");

    private final String id;

    Architecture(String id) {
        this.id = id;
    }

    @JsonValue
    public String id() {
        return id;
    }

    /** @throws IllegalArgumentException naming the allowed values */
    @JsonCreator
    public static Architecture parse(String text) {
        for (Architecture a : values()) {
            if (a.id.equalsIgnoreCase(text.trim()) || a.name().equalsIgnoreCase(text.trim())) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown architecture '" + text + "'; allowed: "
                + Arrays.stream(values()).map(Architecture::id).collect(Collectors.joining(", ")));
    }
}

package dev.chorus.mtl;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How the task losses of one model are combined into the update of its shared parameters. Each
 * value names a published method; {@code dev.chorus.mtl.train.weighting} implements them.
 */
public enum Weighting {
    /** Every task loss counts once: the plain sum. */
    EQUAL("equal"),
    /** Each task loss is multiplied by the candidate's searched weight for that task. */
    FIXED("fixed"),
    /** Homoscedastic uncertainty weighting (Kendall, Gal and Cipolla, CVPR 2018). */
    UNCERTAINTY("uncertainty"),
    /** Dynamic Weight Average (Liu, Johns and Davison, CVPR 2019). */
    DWA("dwa"),
    /** Random Loss Weighting (Lin et al., TMLR 2022). */
    RLW("rlw"),
    /** GradNorm (Chen et al., ICML 2018). */
    GRADNORM("gradnorm"),
    /** Projecting Conflicting Gradients (Yu et al., NeurIPS 2020). */
    PCGRAD("pcgrad"),
    /** MGDA with the upper bound on the shared representation (Sener and Koltun, NeurIPS 2018). */
    MGDA_UB("mgda-ub"),
    /** Conflict-Averse Gradient descent (Liu et al., NeurIPS 2021). */
    CAGRAD("cagrad"),
    /** Fast Adaptive Multitask Optimization (Liu et al., NeurIPS 2023). */
    FAMO("famo"),
    /** Impartial Multi-Task Learning (Liu et al., ICLR 2021). */
    IMTL("imtl"),
    /** Aligned-MTL (Senushkin et al., CVPR 2023). */
    ALIGNED_MTL("aligned-mtl"),
    /** Nash-MTL, multi-task learning as a bargaining game (Navon et al., ICML 2022). */
    NASH_MTL("nash-mtl");

    private final String id;

    Weighting(String id) {
        this.id = id;
    }

    @JsonValue
    public String id() {
        return id;
    }

    /** @throws IllegalArgumentException naming the allowed values */
    @JsonCreator
    public static Weighting parse(String text) {
        for (Weighting w : values()) {
            if (w.id.equalsIgnoreCase(text.trim()) || w.name().equalsIgnoreCase(text.trim())) {
                return w;
            }
        }
        throw new IllegalArgumentException("unknown weighting '" + text + "'; allowed: "
                + Arrays.stream(values()).map(Weighting::id).collect(Collectors.joining(", ")));
    }
}

package dev.chorus.mtl.sampling;

import java.util.Objects;
import java.util.Set;

/**
 * How a study's training epochs pick their rows when its tasks have very different label counts; see
 * {@link BatchPlan} for what each kind does. Immutable value.
 *
 * <ul>
 *   <li>{@code all} (the default): every training row once per epoch; {@code temperature} is 1.</li>
 *   <li>{@code proportional}: each batch serves one task, drawn with probability proportional to its
 *       labelled training rows; {@code temperature} is 1.</li>
 *   <li>{@code temperature}: as proportional, but with probability proportional to
 *       {@code n^(1/temperature)}: 1 is proportional, larger values flatten towards uniform.</li>
 * </ul>
 *
 * @param kind        {@code all}, {@code proportional} or {@code temperature}
 * @param temperature the temperature {@code T > 0}; must be 1 unless {@code kind} is {@code temperature}
 */
public record SamplingSpec(String kind, double temperature) {

    /** The kinds, as written in a search-space file. */
    public static final Set<String> KINDS = Set.of("all", "proportional", "temperature");

    /** Every training row once per epoch, shuffled. */
    public static final SamplingSpec ALL = new SamplingSpec("all", 1);

    /** One task per batch, chosen in proportion to its labelled training rows. */
    public static final SamplingSpec PROPORTIONAL = new SamplingSpec("proportional", 1);

    public SamplingSpec {
        Objects.requireNonNull(kind, "kind");
        if (!KINDS.contains(kind)) {
            throw new IllegalArgumentException("unknown sampling '" + kind + "'; allowed: all, proportional, temperature");
        }
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("sampling temperature must be a finite number > 0, got " + temperature);
        }
        if (!kind.equals("temperature") && temperature != 1) {
            throw new IllegalArgumentException("sampling '" + kind + "' takes no temperature (got " + temperature
                    + "); use kind 'temperature'");
        }
    }

    /**
     * Temperature sampling with {@code t}.
     *
     * @throws IllegalArgumentException unless {@code t} is finite and positive
     */
    public static SamplingSpec temperature(double t) {
        return new SamplingSpec("temperature", t);
    }

    /** Whether every batch is drawn for one task ({@code proportional}, {@code temperature}). */
    public boolean perTask() {
        return !kind.equals("all");
    }
}

package dev.chorus.search;

import dev.chorus.mtl.Candidate;
import dev.chorus.mtl.Weighting;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The variants of a configuration that the stability check re-runs: what a practitioner tries before
 * trusting a multi-task model, namely the same grouping and settings with the loss weights moved by a
 * small step and under the neighbouring weighting methods. Pure functions.
 *
 * <ul>
 *   <li><b>Weights</b>, when the weighting uses them ({@link Weighting#FIXED}): within each shared model
 *       the tasks' weights alternately go up and down by {@link #STEP} (×1.25, ×0.75, ×1.25, ... in study
 *       order), and in a second variant the other way round, so every shared model's balance tilts both
 *       ways. Scaling all weights of a model alike would change little: Adam's updates barely depend on
 *       the loss's scale.</li>
 *   <li><b>Weighting methods</b>: the two methods nearest to the chosen one in how they weigh, from
 *       {@link #NEIGHBOURS} (loss-scale methods neighbour each other, gradient-surgery methods each
 *       other), whether or not the study's search space lists them: the check asks how much the answer
 *       rests on the exact method, not which method is best.</li>
 * </ul>
 * A configuration in which every task has a model of its own weighs no loss against another: it has no
 * variants.
 */
public final class Variants {

    /** The relative step by which the stability check moves a loss weight. */
    public static final double STEP = 0.25;

    /** Each method's two nearest methods, nearest first. */
    static final Map<Weighting, List<Weighting>> NEIGHBOURS = neighbours();

    private Variants() {
    }

    /** A variant and what it changes, in words. */
    public record Variant(String change, Candidate candidate) {
    }

    /** The variants of {@code recommended}, weights first; empty when no model is shared. */
    public static List<Variant> of(Candidate recommended) {
        List<Variant> out = new ArrayList<>();
        if (recommended.members().stream().noneMatch(m -> m.size() > 1)) {
            return out;
        }
        if (recommended.weighting() == Weighting.FIXED) {
            out.add(new Variant(tilt(true), tilted(recommended, true)));
            out.add(new Variant(tilt(false), tilted(recommended, false)));
        }
        for (Weighting w : NEIGHBOURS.get(recommended.weighting())) {
            out.add(new Variant(w.id() + " instead of " + recommended.weighting().id(), new Candidate(
                    recommended.groups(), recommended.weights(), w, recommended.settings(), recommended.architecture(),
                    recommended.headDepth(), recommended.experts())));
        }
        return out;
    }

    private static String tilt(boolean firstUp) {
        int pct = (int) Math.round(STEP * 100);
        return String.format(Locale.ROOT, "loss weights %s%d %%, %s%d %%, ... within each shared model",
                firstUp ? "+" : "−", pct, firstUp ? "−" : "+", pct);
    }

    private static Candidate tilted(Candidate c, boolean firstUp) {
        List<Double> weights = new ArrayList<>(c.weights());
        for (List<Integer> model : c.members()) {
            for (int k = 0; k < model.size(); k++) {
                boolean up = (k % 2 == 0) == firstUp;
                int task = model.get(k);
                weights.set(task, weights.get(task) * (up ? 1 + STEP : 1 - STEP));
            }
        }
        return new Candidate(c.groups(), weights, c.weighting(), c.settings(), c.architecture(), c.headDepth(),
                c.experts());
    }

    private static Map<Weighting, List<Weighting>> neighbours() {
        Map<Weighting, List<Weighting>> m = new EnumMap<>(Weighting.class);
        // loss-scale methods: a weight per task loss, set by hand, learnt, or from the losses' history
        m.put(Weighting.EQUAL, List.of(Weighting.UNCERTAINTY, Weighting.RLW));
        m.put(Weighting.FIXED, List.of(Weighting.EQUAL, Weighting.UNCERTAINTY));
        m.put(Weighting.UNCERTAINTY, List.of(Weighting.EQUAL, Weighting.DWA));
        m.put(Weighting.DWA, List.of(Weighting.FAMO, Weighting.EQUAL));
        m.put(Weighting.RLW, List.of(Weighting.EQUAL, Weighting.DWA));
        m.put(Weighting.FAMO, List.of(Weighting.DWA, Weighting.UNCERTAINTY));
        // gradient methods: balance gradient norms, or remove and avert conflicts between task gradients
        m.put(Weighting.GRADNORM, List.of(Weighting.IMTL, Weighting.UNCERTAINTY));
        m.put(Weighting.IMTL, List.of(Weighting.GRADNORM, Weighting.ALIGNED_MTL));
        m.put(Weighting.ALIGNED_MTL, List.of(Weighting.IMTL, Weighting.NASH_MTL));
        m.put(Weighting.NASH_MTL, List.of(Weighting.ALIGNED_MTL, Weighting.MGDA_UB));
        m.put(Weighting.MGDA_UB, List.of(Weighting.CAGRAD, Weighting.NASH_MTL));
        m.put(Weighting.CAGRAD, List.of(Weighting.PCGRAD, Weighting.MGDA_UB));
        m.put(Weighting.PCGRAD, List.of(Weighting.CAGRAD, Weighting.IMTL));
        return m;
    }
}

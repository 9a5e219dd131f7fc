package dev.chorus.search;

import dev.chorus.mtl.Candidate;
import java.util.Arrays;
import java.util.Objects;

/**
 * A finished trial as the search sees it: the candidate, the generation it was proposed in and its
 * objective values.
 *
 * <p>Every objective is <em>maximised</em>: the caller flips minimised metrics and negates the model
 * count before building this value. A trial that failed or violated a constraint is
 * {@code feasible = false}; under Deb's constraint domination it ranks after every feasible trial,
 * whatever its objectives, and its objectives are never compared (they may be empty or NaN).
 *
 * @implNote Immutable and thread-safe: the objective array is copied on the way in and on the way
 *     out, and {@link #equals}, {@link #hashCode} and {@link #toString} use its content.
 *
 * @param candidate  the candidate that was trained
 * @param generation the generation whose {@link Sampler#sample} call proposed it (at least 0)
 * @param objectives the objective values, all maximised; finite when {@code feasible}
 * @param feasible   whether the trial finished and met every constraint
 */
public record Evaluated(Candidate candidate, int generation, double[] objectives, boolean feasible) {

    /**
     * @throws IllegalArgumentException if the generation is negative, or a feasible trial has no
     *     objectives or a non-finite one
     */
    public Evaluated {
        Objects.requireNonNull(candidate, "candidate");
        Objects.requireNonNull(objectives, "objectives");
        if (generation < 0) {
            throw new IllegalArgumentException("generation must be at least 0, was " + generation);
        }
        objectives = objectives.clone();
        if (feasible) {
            if (objectives.length == 0) {
                throw new IllegalArgumentException("a feasible trial needs at least one objective");
            }
            for (double v : objectives) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("a feasible trial needs finite objectives, got "
                            + Arrays.toString(objectives) + "; mark it infeasible instead");
                }
            }
        }
    }

    /** A feasible trial with the given (maximised) objectives. */
    public static Evaluated of(Candidate candidate, int generation, double... objectives) {
        return new Evaluated(candidate, generation, objectives, true);
    }

    /** An infeasible trial (failed, or a constraint was violated); it has no objectives. */
    public static Evaluated infeasible(Candidate candidate, int generation) {
        return new Evaluated(candidate, generation, new double[0], false);
    }

    /** A copy of the objective values. */
    @Override
    public double[] objectives() {
        return objectives.clone();
    }

    /** Objective {@code i}, without copying the array. */
    double objective(int i) {
        return objectives[i];
    }

    /** Number of objective values. */
    int objectiveCount() {
        return objectives.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Evaluated e
                && generation == e.generation
                && feasible == e.feasible
                && candidate.equals(e.candidate)
                && Arrays.equals(objectives, e.objectives);
    }

    @Override
    public int hashCode() {
        return Objects.hash(candidate, generation, feasible, Arrays.hashCode(objectives));
    }

    @Override
    public String toString() {
        return "Evaluated[candidate=" + candidate + ", generation=" + generation
                + ", objectives=" + Arrays.toString(objectives) + ", feasible=" + feasible + "]";
    }
}

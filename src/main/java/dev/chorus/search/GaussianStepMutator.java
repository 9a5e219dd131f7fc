package dev.chorus.search;

import io.jenetics.DoubleGene;
import io.jenetics.Mutator;
import java.util.random.RandomGenerator;

/**
 * Moves a gene by a normal step around its current value, {@code sigma} times the gene's range,
 * reflected back into {@code [min, max)}. A local search step: Jenetics 8.3's
 * {@link io.jenetics.GaussianMutator} draws a new value around the middle of the range instead, which
 * forgets the parent's value.
 *
 * <p>The mutation probability has the meaning of {@link Mutator}'s: each gene is mutated with
 * probability {@code probability}.
 *
 * @implNote Immutable and thread-safe; draws only from the generator Jenetics passes in, which is
 *     {@link io.jenetics.util.RandomRegistry#random()}.
 *
 * @param <C> the fitness type (unused by the mutation)
 */
final class GaussianStepMutator<C extends Comparable<? super C>> extends Mutator<DoubleGene, C> {

    private final double sigma;

    GaussianStepMutator(double probability, double sigma) {
        super(probability);
        if (!(sigma > 0)) {
            throw new IllegalArgumentException("sigma must be positive, was " + sigma);
        }
        this.sigma = sigma;
    }

    @Override
    protected DoubleGene mutate(DoubleGene gene, RandomGenerator random) {
        double min = gene.min();
        double width = gene.max() - min;
        double x = gene.doubleValue() - min + random.nextGaussian() * sigma * width;
        x = Math.abs(x) % (2 * width); // reflect at min ...
        if (x >= width) {
            x = 2 * width - x; // ... and at max
        }
        return gene.newInstance(Math.min(min + x, Math.nextDown(gene.max())));
    }

    @Override
    public String toString() {
        return "GaussianStepMutator[p=" + _probability + ", sigma=" + sigma + "]";
    }
}

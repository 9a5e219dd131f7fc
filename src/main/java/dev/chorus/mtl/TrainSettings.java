package dev.chorus.mtl;

/**
 * How one model is trained: the shared trunk's shape and the optimiser settings.
 *
 * @param trunkWidth   units per hidden layer of the shared MLP trunk
 * @param trunkDepth   hidden layers in the trunk (at least 1)
 * @param learningRate Adam's learning rate
 * @param epochs       passes over the training rows
 * @param batchSize    rows per step
 */
public record TrainSettings(int trunkWidth, int trunkDepth, double learningRate, int epochs, int batchSize) {
    public TrainSettings {
        if (trunkWidth < 1 || trunkDepth < 1 || epochs < 1 || batchSize < 1) {
            throw new IllegalArgumentException("trunk width, depth, epochs and batch size must be positive: " + this);
        }
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("learning rate must be positive, was " + learningRate);
        }
    }
}

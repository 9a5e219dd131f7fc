package dev.chorus.mtl.train.arch;

import ai.djl.nn.Block;
import dev.chorus.mtl.data.Dataset;
import dev.chorus.mtl.data.OverlayDigits;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * Overlay digits (MultiMNIST-like) with the LeNet- and ResNet-like trunks: a measurement, not a check, so
 * it is a *Bench (left out of {@code ./mvnw verify}); BENCHMARKS.md quotes it. Run:
 * {@code bench/run overlay [-- -Dbench.epochs=10 -Dbench.lr=0.001 -Dbench.archs=lenet,resnet]}.
 */
class ConvTrunksBench {

    /**
     * The measurement reported with the conv trunks: one two-head model vs two one-head models, for each
     * trunk, on 2000 training and 1000 test samples. Prints its numbers; {@code bench/run overlay} runs it.
     */
    @Test
    void benchmark() {
        Dataset train = OverlayDigits.generate(2000, 1);
        Dataset test = OverlayDigits.generate(1000, 2);
        int epochs = Integer.getInteger("bench.epochs", 10);
        double lr = Double.parseDouble(System.getProperty("bench.lr", "0.001"));
        for (String arch : System.getProperty("bench.archs", "lenet,resnet").split(",")) {
            IntFunction<Block> trunk = u -> arch.equals("lenet") ? ConvTrunks.lenet(1, 36, 36, u)
                    : ConvTrunks.resnet(1, 36, 36, u);
            ConvTrunksTest.Run both = ConvTrunksTest.train(trunk, train, test, List.of("left", "right"), epochs, lr, 1);
            ConvTrunksTest.Run left = ConvTrunksTest.train(trunk, train, test, List.of("left"), epochs, lr, 1);
            ConvTrunksTest.Run right = ConvTrunksTest.train(trunk, train, test, List.of("right"), epochs, lr, 1);
            System.out.printf("BENCH %s epochs=%d lr=%s mtl left=%.3f right=%.3f (%.2f s/epoch) | single left=%.3f"
                            + " (%.2f s/epoch) right=%.3f (%.2f s/epoch)%n", arch, epochs, lr, both.accuracy()[0],
                    both.accuracy()[1], both.secondsPerEpoch(), left.accuracy()[0], left.secondsPerEpoch(),
                    right.accuracy()[0], right.secondsPerEpoch());
        }
    }

}

package dev.chorus.mtl.train.weighting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chorus.mtl.Weighting;
import dev.chorus.mtl.train.weighting.LossWeighting.Combination;
import dev.chorus.mtl.train.weighting.LossWeighting.Step;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.LongFunction;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@link LossWeighting} contract, for every {@link Weighting} (and the methods awaiting their
 * value): creation, absent tasks weighing 0 and having no influence on anything, determinism per seed.
 */
class LossWeightingContractTest {

    private static final int TASKS = 3;
    private static final int DIM = 5;
    private static final int ABSENT = 1;

    @ParameterizedTest
    @EnumSource(Weighting.class)
    void everyMethodIsCreatedAndCombines(Weighting method) {
        LossWeighting weighting = LossWeighting.of(method, new double[] {1, 2, 3}, 0.01, 7);
        Combination c = weighting.combine(step(new SplittableRandom(1), false));
        if (c instanceof Combination.Weights w) {
            assertThat(w.weights()).hasSize(TASKS);
            assertThat(Arrays.stream(w.weights())).allMatch(x -> Double.isFinite(x) && x >= 0);
        } else {
            assertThat(weighting.needsGradients()).isTrue();
            assertThat(Steps.gradient(c)).hasSize(DIM);
            assertThat(Arrays.stream(Steps.gradient(c))).allMatch(Double::isFinite);
        }
    }

    /** Every selectable method, and those written before their enum value exists. */
    static Stream<Arguments> methods() {
        Stream<Arguments> selectable = Arrays.stream(Weighting.values()).map(w -> Arguments.of(w.id(),
                (LongFunction<LossWeighting>) seed -> LossWeighting.of(w, new double[] {1, 2, 3}, 0.01, seed)));
        Stream<Arguments> pending = Stream.of(
                Arguments.of("imtl", (LongFunction<LossWeighting>) seed -> new Imtl(0.01)),
                Arguments.of("aligned-mtl", (LongFunction<LossWeighting>) seed -> new AlignedMtl()),
                Arguments.of("nash-mtl", (LongFunction<LossWeighting>) seed -> new NashMtl()));
        return Stream.concat(selectable, pending);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("methods")
    void absentTaskWeighsNothingAndItsDataInfluencesNothing(String name, LongFunction<LossWeighting> make) {
        LossWeighting clean = make.apply(7);
        LossWeighting noisy = make.apply(7);
        SplittableRandom cleanData = new SplittableRandom(3);
        SplittableRandom noisyData = new SplittableRandom(3);
        SplittableRandom garbage = new SplittableRandom(99);
        List<double[]> cleanOut = new ArrayList<>();
        List<double[]> noisyOut = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            boolean absent = i % 3 != 0;
            Step a = step(cleanData, absent);
            Step b = step(noisyData, absent);
            if (absent) {
                // the trainer gives 0 and zeros; anything else must be ignored all the same
                b.losses()[ABSENT] = 1e3 * garbage.nextDouble();
                if (b.gradients() != null) {
                    b.gradients()[ABSENT] = Steps.randomGradients(garbage, 1, DIM)[0];
                }
            }
            double[] outA = values(clean.combine(a));
            double[] outB = values(noisy.combine(b));
            if (absent && outA.length == TASKS) {
                assertThat(outA[ABSENT]).as("weight of the absent task").isZero();
            }
            cleanOut.add(outA);
            noisyOut.add(outB);
            if (clean.needsLossesAfterStep()) {
                double[] after = a.losses().clone();
                for (int t = 0; t < TASKS; t++) {
                    after[t] *= 0.9 + 0.05 * t;
                }
                double[] afterNoisy = after.clone();
                if (absent) {
                    afterNoisy[ABSENT] = 1e3 * garbage.nextDouble();
                }
                clean.afterStep(after);
                noisy.afterStep(afterNoisy);
            }
            if (i % 10 == 9) {
                double[] means = {1.0 / (i + 1), Double.NaN, 2.0 / (i + 1)};
                clean.endEpoch(means);
                noisy.endEpoch(means.clone());
            }
        }
        for (int i = 0; i < cleanOut.size(); i++) {
            assertThat(noisyOut.get(i)).as("step %d", i).containsExactly(cleanOut.get(i));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("methods")
    void sameSeedSameSequence(String name, LongFunction<LossWeighting> make) {
        LossWeighting a = make.apply(11);
        LossWeighting b = make.apply(11);
        SplittableRandom dataA = new SplittableRandom(5);
        SplittableRandom dataB = new SplittableRandom(5);
        for (int i = 0; i < 10; i++) {
            Step sa = step(dataA, false);
            Step sb = step(dataB, false);
            assertThat(values(b.combine(sb))).containsExactly(values(a.combine(sa)));
            if (a.needsLossesAfterStep()) {
                a.afterStep(sa.losses());
                b.afterStep(sb.losses());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Weighting.class, names = {"UNCERTAINTY", "GRADNORM", "FAMO"})
    void stateSizedByTheFirstStepRejectsAnotherTaskCount(Weighting method) {
        LossWeighting weighting = LossWeighting.of(method, null, 0.01, 1);
        weighting.combine(step(new SplittableRandom(1), false));
        Step two = new Step(new double[] {1, 1}, Steps.all(2), new double[2][DIM], 0, 1);
        assertThatThrownBy(() -> weighting.combine(two)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("first step had 3");
    }

    @ParameterizedTest
    @EnumSource(value = Weighting.class, names = {"GRADNORM", "PCGRAD", "MGDA_UB", "CAGRAD"})
    void gradientMethodsSayTheyNeedGradients(Weighting method) {
        LossWeighting weighting = LossWeighting.of(method, null, 0.01, 1);
        assertThat(weighting.needsGradients()).isTrue();
        assertThatThrownBy(() -> weighting.combine(Steps.losses(1, 2, 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs gradients");
    }

    /** A step with positive losses and random gradients; task {@link #ABSENT} absent if asked. */
    private static Step step(SplittableRandom random, boolean absent) {
        double[] losses = new double[TASKS];
        boolean[] present = Steps.all(TASKS);
        double[][] gradients = Steps.randomGradients(random, TASKS, DIM);
        for (int t = 0; t < TASKS; t++) {
            losses[t] = 0.5 + random.nextDouble();
        }
        if (absent) {
            present[ABSENT] = false;
            losses[ABSENT] = 0;
            gradients[ABSENT] = new double[DIM];
        }
        return new Step(losses, present, gradients, 0, 0);
    }

    private static double[] values(Combination c) {
        return c instanceof Combination.Weights w ? w.weights() : Steps.gradient(c);
    }
}

package dev.chorus.mtl.train;

import dev.chorus.mtl.data.ImageSpec;
import java.util.Objects;

/**
 * Features that are image pixels, channel-major, read by a convolutional trunk before the shared
 * layers. Only hard sharing supports it: the conv trunk is the shared feature extractor.
 */
public record ConvInput(int channels, int height, int width, ImageSpec.ConvTrunk trunk) {

    public ConvInput {
        Objects.requireNonNull(trunk, "trunk");
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("channels, height and width must be positive");
        }
    }

    public static ConvInput of(ImageSpec spec) {
        return new ConvInput(spec.channels(), spec.height(), spec.width(), spec.trunk());
    }
}

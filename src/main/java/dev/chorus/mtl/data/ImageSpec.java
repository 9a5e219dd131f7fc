package dev.chorus.mtl.data;

import dev.chorus.mtl.sampling.SamplingSpec;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * Images listed in a CSV file: one column of image paths (relative to the CSV's folder, PNG or JPEG)
 * and one column per task. Pixels become the features, channel-major (see {@link ImageTable}), and
 * models read them through a convolutional trunk.
 *
 * @param path        the CSV file, resolved against the search-space file's folder by the parser
 * @param imageColumn the column holding the image paths
 * @param height      images are resized to this height
 * @param width       and this width
 * @param grayscale   one channel (colour converted) rather than three
 * @param trunk       the convolutional trunk every model of the study starts with
 */
public record ImageSpec(Path path, String imageColumn, int height, int width, boolean grayscale, ConvTrunk trunk,
                        SamplingSpec sampling) implements DatasetSpec {

    /** The convolutional trunks an image study can use. */
    public enum ConvTrunk {
        /** LeNet-5-like: two conv + max-pool stages, then a dense layer. */
        LENET,
        /** A small ResNet-like: a 3x3 stem and two residual blocks (about 6x slower than LeNet). */
        RESNET;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public ImageSpec {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(imageColumn, "imageColumn");
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("image height and width must be positive: " + height + "x" + width);
        }
        trunk = trunk == null ? ConvTrunk.LENET : trunk;
        sampling = sampling == null ? SamplingSpec.ALL : sampling;
    }

    /** Channels of the pixel features. */
    public int channels() {
        return grayscale ? 1 : 3;
    }
}

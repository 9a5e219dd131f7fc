package dev.chorus.mtl.data;

import dev.chorus.mtl.Task;
import dev.chorus.mtl.TaskType;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads an image dataset: a CSV (the format of {@link CsvLoader}: header row, commas, optional double
 * quotes, blank lines skipped, cells trimmed) with one column of image paths and one column per task.
 * Other columns are ignored.
 *
 * <ul>
 *   <li>Image paths are relative to the CSV's folder (an absolute path is taken as is). Any format
 *       {@link ImageIO} reads works; PNG and JPEG are the ones promised.</li>
 *   <li>Each image is converted to 8 bits per channel: a one-channel image (gray, 8 or 16 bits) keeps
 *       its gray samples, anything else is read as sRGB; alpha is dropped. With {@code grayscale}, colour
 *       becomes {@code round(0.299 R + 0.587 G + 0.114 B)} (ITU-R BT.601, as PIL's "L"); without it,
 *       gray is copied to three channels. An image of another size is resized to
 *       {@code height x width} with java.awt's bilinear interpolation (aspect ratio not kept).</li>
 *   <li>Features are the pixels divided by 255 (so in [0, 1]), channel-major: row {@code i} holds
 *       {@code C*H*W} values, value {@code (c*H + y)*W + x} being channel {@code c} at row {@code y},
 *       column {@code x}, named {@code px[c,y,x]}; {@code C} is 1 with {@code grayscale}, else 3 (R, G,
 *       B). A flat row reshaped to {@code (C, H, W)} is the image, as the conv trunks expect.</li>
 *   <li>Labels as in {@link CsvLoader}: an empty cell is a missing label; classification labels may be
 *       any text, the distinct values sorted (numerically when all are numbers) and numbered 0, 1, ...;
 *       a regression label must be a number.</li>
 * </ul>
 *
 * <p>Errors are {@link IllegalArgumentException}s naming the file, and the line and column where one
 * applies: a missing image or task column, an image file that is missing, damaged, larger than
 * {@value #MAX_IMAGE_PIXELS} pixels or outside the data roots, a table of more than {@value #MAX_VALUES}
 * feature values, a classification task with fewer than 2 classes, a non-numeric regression label.
 *
 * @implNote Stateless and thread-safe; reads every image once, in CSV order. Sets
 *     {@code java.awt.headless=true} unless already set.
 */
public final class ImageTable {

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true"); // resizing draws on an image, never a screen
        }
    }

    /** Largest image (width times height) read; a larger one is refused before it is decoded. */
    static final long MAX_IMAGE_PIXELS = 4096L * 4096;
    /** Most feature values (rows times channels times height times width) a table may become: 200 MB. */
    static final long MAX_VALUES = 50_000_000;

    private ImageTable() {
    }

    /**
     * Loads {@code csv} into a dataset named like the file, with one label column per task of
     * {@code tasks}, in order.
     *
     * @param imageColumn the header of the image-path column
     * @param height      image rows after resizing (at least 1)
     * @param width       image columns after resizing (at least 1)
     * @param grayscale   one channel when true, three (R, G, B) when false
     * @throws IllegalArgumentException as described in the class comment
     * @throws UncheckedIOException     when the CSV itself cannot be read
     */
    public static Dataset load(Path csv, String imageColumn, List<Task> tasks, int height, int width,
                               boolean grayscale) {
        return load(csv, imageColumn, tasks, height, width, grayscale, DataRoots.ANY);
    }

    /**
     * As {@link #load(Path, String, List, int, int, boolean)}, with every image confined to {@code roots}.
     *
     * @throws IllegalArgumentException also for an image outside {@code roots}
     */
    public static Dataset load(Path csv, String imageColumn, List<Task> tasks, int height, int width,
                               boolean grayscale, DataRoots roots) {
        Objects.requireNonNull(csv, "csv");
        Objects.requireNonNull(roots, "roots");
        Objects.requireNonNull(imageColumn, "imageColumn");
        if (tasks == null || tasks.isEmpty()) {
            throw new IllegalArgumentException("an image dataset needs at least one task");
        }
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("image height and width must be positive: " + height + "x" + width);
        }
        String file = csv.getFileName().toString();
        Path folder = csv.toAbsolutePath().getParent();
        List<CsvLoader.Row> table = CsvLoader.read(csv, ',', file);
        if (table.isEmpty()) {
            throw new IllegalArgumentException(file + " is empty; it needs a header row and at least one data row");
        }
        List<String> header = table.getFirst().fields();
        Map<String, Integer> columns = new HashMap<>();
        for (int c = 0; c < header.size(); c++) {
            if (columns.putIfAbsent(header.get(c), c) != null) {
                throw new IllegalArgumentException(file + ": column '" + header.get(c)
                        + "' appears twice in the header; rename one");
            }
        }
        if (!columns.containsKey(imageColumn)) {
            throw new IllegalArgumentException(file + ": no image column '" + imageColumn + "'; the header has: "
                    + String.join(", ", header) + ". Name the column of image paths");
        }
        for (Task t : tasks) {
            if (!columns.containsKey(t.name()) || t.name().equals(imageColumn)) {
                throw new IllegalArgumentException(file + ": no column '" + t.name() + "' for task '" + t.name()
                        + "'; the header has: " + String.join(", ", header) + ". Rename the task or the column");
            }
        }

        int channels = grayscale ? 1 : 3;
        int d = channels * height * width;
        long rows = table.size() - 1L;
        if (rows * d > MAX_VALUES) {
            throw new IllegalArgumentException(file + ": " + rows + " images of " + channels + " x " + height + " x "
                    + width + " are " + rows * d + " values; allowed: at most " + MAX_VALUES
                    + " (use smaller height and width, grayscale, or fewer images)");
        }
        int imageAt = columns.get(imageColumn);
        List<List<String>> records = new ArrayList<>();
        List<float[]> pixels = new ArrayList<>();
        List<Integer> lineNumbers = new ArrayList<>();
        for (CsvLoader.Row row : table.subList(1, table.size())) {
            List<String> fields = row.fields();
            if (fields.size() != header.size()) {
                throw new IllegalArgumentException(file + " line " + row.line() + ": " + fields.size()
                        + " fields, but the header has " + header.size() + " columns");
            }
            String where = file + " line " + row.line() + ", column '" + imageColumn + "'";
            pixels.add(pixels(read(folder, fields.get(imageAt), where, roots), height, width, grayscale));
            records.add(fields);
            lineNumbers.add(row.line());
        }
        if (records.isEmpty()) {
            throw new IllegalArgumentException(file + " has a header but no data rows");
        }
        float[] features = new float[records.size() * d];
        for (int r = 0; r < records.size(); r++) {
            System.arraycopy(pixels.get(r), 0, features, r * d, d);
        }
        Map<String, float[]> labels = new LinkedHashMap<>();
        for (Task t : tasks) {
            int c = columns.get(t.name());
            List<String> cells = records.stream().map(r -> r.get(c)).toList();
            labels.put(t.name(), t.type() == TaskType.REGRESSION
                    ? regression(cells, file, lineNumbers, t.name())
                    : classes(cells, file, t));
        }
        return Datasets.build(file, pixelNames(channels, height, width), features, tasks, labels);
    }

    /** The feature names {@code px[c,y,x]} of a {@code (channels, height, width)} image, channel-major. */
    static List<String> pixelNames(int channels, int height, int width) {
        List<String> names = new ArrayList<>(channels * height * width);
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    names.add("px[" + c + "," + y + "," + x + "]");
                }
            }
        }
        return names;
    }

    private static BufferedImage read(Path folder, String cell, String where, DataRoots roots) {
        if (cell.isEmpty()) {
            throw new IllegalArgumentException(where + ": the image path is empty; every row needs an image");
        }
        Path path;
        try {
            path = folder.resolve(cell);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(where + ": '" + cell + "' is not a valid path: " + e.getReason());
        }
        if (!roots.contains(path)) {
            throw new IllegalArgumentException(where + ": image file '" + cell + "' is outside the data roots (it "
                    + "resolves to " + path.toAbsolutePath().normalize() + ", or links there); allowed: images under "
                    + roots + " (chorus.data.roots)");
        }
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException(where + ": image file '" + cell + "' does not exist (looked for "
                    + path + "; paths are relative to the CSV's folder)");
        }
        String problem;
        try (ImageInputStream in = ImageIO.createImageInputStream(path.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new IllegalArgumentException(where + ": image file '" + cell
                        + "' is not a readable image; use PNG or JPEG");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long size = (long) reader.getWidth(0) * reader.getHeight(0);
                if (size > MAX_IMAGE_PIXELS) {
                    throw new IllegalArgumentException(where + ": image file '" + cell + "' is "
                            + reader.getWidth(0) + " x " + reader.getHeight(0) + " pixels; allowed: at most "
                            + MAX_IMAGE_PIXELS + " pixels (4096 x 4096)");
                }
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // a damaged file: ImageIO's readers throw IIOException, EOFException and sometimes runtime exceptions
            problem = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        throw new IllegalArgumentException(where + ": image file '" + cell + "' cannot be read (" + problem
                + "); use an undamaged PNG or JPEG");
    }

    /** The image as {@code C*H*W} values in [0, 1], converted and resized as the class comment says. */
    static float[] pixels(BufferedImage source, int height, int width, boolean grayscale) {
        int type = grayscale ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB;
        BufferedImage image = canonical(source, type);
        if (image.getHeight() != height || image.getWidth() != width) {
            BufferedImage scaled = new BufferedImage(width, height, type);
            Graphics2D g = scaled.createGraphics();
            try {
                g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                g.drawImage(image, 0, 0, width, height, null);
            } finally {
                g.dispose();
            }
            image = scaled;
        }
        Raster raster = image.getRaster();
        int channels = grayscale ? 1 : 3;
        float[] out = new float[channels * height * width];
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    out[(c * height + y) * width + x] = raster.getSample(x, y, c) / 255f;
                }
            }
        }
        return out;
    }

    /** A copy of {@code source} as 8-bit gray or RGB, without the sRGB detour that would brighten gray. */
    private static BufferedImage canonical(BufferedImage source, int type) {
        int w = source.getWidth();
        int h = source.getHeight();
        boolean gray = source.getColorModel().getNumColorComponents() == 1;
        Raster in = source.getRaster();
        double grayMax = gray ? (1 << source.getColorModel().getComponentSize(0)) - 1 : 255;
        BufferedImage out = new BufferedImage(w, h, type);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int r;
                int g;
                int b;
                if (gray) {
                    r = (int) Math.round(in.getSample(x, y, 0) * 255 / grayMax);
                    g = r;
                    b = r;
                } else {
                    int rgb = source.getRGB(x, y);
                    r = (rgb >> 16) & 0xFF;
                    g = (rgb >> 8) & 0xFF;
                    b = rgb & 0xFF;
                }
                if (type == BufferedImage.TYPE_BYTE_GRAY) {
                    out.getRaster().setSample(x, y, 0, (int) Math.round(0.299 * r + 0.587 * g + 0.114 * b));
                } else {
                    out.setRGB(x, y, (r << 16) | (g << 8) | b);
                }
            }
        }
        return out;
    }

    private static float[] regression(List<String> cells, String file, List<Integer> lines, String task) {
        float[] out = new float[cells.size()];
        for (int i = 0; i < out.length; i++) {
            String cell = cells.get(i);
            Float v = cell.isEmpty() ? Float.valueOf(Float.NaN) : number(cell);
            if (v == null) {
                throw new IllegalArgumentException(file + " line " + lines.get(i) + ", column '" + task + "': '"
                        + cell + "' is not a finite number; task '" + task + "' is regression, so its labels"
                        + " must be numbers (leave the cell empty for a missing label)");
            }
            out[i] = v;
        }
        return out;
    }

    /** Numbers the distinct non-empty cells 0, 1, ... in sorted order (numeric when all are numbers). */
    private static float[] classes(List<String> cells, String file, Task task) {
        ClassIndex classes = ClassIndex.of(cells, String::isEmpty, c -> number(c) != null);
        TreeSet<String> distinct = classes.distinct();
        if (distinct.size() < 2) {
            throw new IllegalArgumentException(file + ", column '" + task.name() + "': task '" + task.name()
                    + "' is " + task.type().id() + " but its labelled rows hold " + distinct.size() + " class"
                    + (distinct.size() == 1 ? " ('" + distinct.first() + "')" : "es")
                    + "; it needs at least 2 (label more rows, or declare it regression)");
        }
        return classes.encode(cells);
    }

    /** The cell as a finite float, or null when it is not one. */
    private static Float number(String cell) {
        try {
            float v = Float.parseFloat(cell);
            return Float.isFinite(v) ? v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}

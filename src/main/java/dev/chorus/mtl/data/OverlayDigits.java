package dev.chorus.mtl.data;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.font.GlyphVector;
import java.awt.geom.AffineTransform;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * A seeded stand-in for the MultiMNIST benchmark of the Pareto multi-task literature (Sabour et al.
 * 2017; Sener and Koltun 2018; Lin et al. 2019): each sample is a {@value #SIZE}x{@value #SIZE}
 * grayscale image holding two overlaid digits, and two 10-way tasks, {@code left} (the digit toward
 * the top-left) and {@code right} (the digit toward the bottom-right). There is no MNIST here, so the
 * digits are printed glyphs, not handwriting.
 *
 * <p>Each digit is drawn white on black with one of the logical fonts {@code Serif}, {@code SansSerif},
 * {@code Monospaced}, {@code Dialog} (plain or bold), about {@value #GLYPH_PX} pixels tall times a
 * scale in [0.85, 1.15], rotated by up to 15 degrees either way, and centred at (12, 12) (left) or
 * (24, 24) (right) plus a shift of up to 3 pixels on each axis; the image is the pixel-wise maximum of
 * the two drawings. Both digits are uniform over 0..9 and independent.
 *
 * <p>Pixels are bytes 0..255 stored as {@code byte/255f}; features are named as by
 * {@link ImageTable} ({@code px[0,y,x]}, row-major), so {@link #generate} and {@link ImageTable#load}
 * of what {@link #write} wrote give the same features and labels.
 *
 * @implNote Deterministic: the same rows and seed give the same labels and, on the same machine (same
 *     JDK and the same fonts behind the logical ones), the same pixels; {@link #write} then writes a
 *     byte-identical {@code labels.csv}. Sets {@code java.awt.headless=true} unless already set. The
 *     methods are static and thread-safe.
 */
public final class OverlayDigits {

    /** Height and width of every image. */
    public static final int SIZE = 36;
    /** The two tasks, in label-column order. */
    public static final List<String> TASKS = List.of("left", "right");
    /** The most rows a study can load from what {@link #write} wrote ({@link ImageTable}'s feature-value limit). */
    public static final int MAX_ROWS = (int) (ImageTable.MAX_VALUES / (SIZE * SIZE));

    static final int GLYPH_PX = 18;
    private static final String[] FONTS = {Font.SERIF, Font.SANS_SERIF, Font.MONOSPACED, Font.DIALOG};
    private static final double MAX_ROTATION = Math.toRadians(15);
    private static final int MAX_SHIFT = 3;
    private static final int LEFT_CENTRE = 12;
    private static final int RIGHT_CENTRE = 24;

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private OverlayDigits() {
    }

    /**
     * Generates {@code rows} samples in memory: features are {@code SIZE*SIZE} pixels in [0, 1], labels
     * {@code left} and {@code right} (classes 0..9, none missing, class count 10 each).
     *
     * @throws IllegalArgumentException when {@code rows < 1}
     */
    public static Dataset generate(int rows, long seed) {
        checkRows(rows);
        Random random = new Random(seed);
        int d = SIZE * SIZE;
        float[] features = new float[rows * d];
        float[] left = new float[rows];
        float[] right = new float[rows];
        for (int i = 0; i < rows; i++) {
            int[] digits = new int[2];
            byte[] pixels = render(random, digits);
            for (int p = 0; p < d; p++) {
                features[i * d + p] = (pixels[p] & 0xFF) / 255f;
            }
            left[i] = digits[0];
            right[i] = digits[1];
        }
        Map<String, float[]> labels = new LinkedHashMap<>();
        labels.put(TASKS.get(0), left);
        labels.put(TASKS.get(1), right);
        return new Dataset("overlay-digits-" + seed, ImageTable.pixelNames(1, SIZE, SIZE), features, labels,
                Map.of(TASKS.get(0), 10, TASKS.get(1), 10));
    }

    /**
     * Writes {@code rows} samples to {@code dir} (created if missing): {@code images/000000.png}, ... (8-bit
     * grayscale PNGs) and {@code labels.csv} with the header {@code image,left,right} and one line per
     * image ({@code images/000000.png,7,2}), {@code \n}-terminated. The samples are those of
     * {@link #generate} with the same arguments. Read them back with
     * {@code ImageTable.load(dir.resolve("labels.csv"), "image", tasks, 36, 36, true)}.
     *
     * @throws IllegalArgumentException when {@code rows < 1}
     * @throws UncheckedIOException     when a file cannot be written
     */
    public static void write(Path dir, int rows, long seed) {
        checkRows(rows);
        Random random = new Random(seed);
        StringBuilder csv = new StringBuilder("image,left,right\n");
        try {
            Files.createDirectories(dir.resolve("images"));
            for (int i = 0; i < rows; i++) {
                int[] digits = new int[2];
                byte[] pixels = render(random, digits);
                BufferedImage image = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_BYTE_GRAY);
                image.getRaster().setDataElements(0, 0, SIZE, SIZE, pixels);
                String name = "images/%06d.png".formatted(i);
                if (!ImageIO.write(image, "png", dir.resolve(name).toFile())) {
                    throw new IllegalStateException("the JDK has no PNG writer");
                }
                csv.append(name).append(',').append(digits[0]).append(',').append(digits[1]).append('\n');
            }
            Files.writeString(dir.resolve("labels.csv"), csv, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the overlay digits to " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Draws one sample: picks the two digits (written to {@code digits}) and returns the
     * {@code SIZE*SIZE} gray bytes, row-major. Consumes a fixed sequence of draws from {@code random}.
     */
    static byte[] render(Random random, int[] digits) {
        BufferedImage canvas = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_BYTE_GRAY);
        byte[] out = new byte[SIZE * SIZE];
        for (int k = 0; k < 2; k++) {
            digits[k] = random.nextInt(10);
            int centre = k == 0 ? LEFT_CENTRE : RIGHT_CENTRE;
            Graphics2D g = canvas.createGraphics();
            try {
                g.setColor(Color.BLACK);
                g.fillRect(0, 0, SIZE, SIZE);
                g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
                g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
                g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
                g.setColor(Color.WHITE);
                glyph(g, random, digits[k], centre);
            } finally {
                g.dispose();
            }
            byte[] drawn = (byte[]) canvas.getRaster().getDataElements(0, 0, SIZE, SIZE, null);
            for (int p = 0; p < out.length; p++) {
                out[p] = (byte) Math.max(out[p] & 0xFF, drawn[p] & 0xFF);
            }
        }
        return out;
    }

    /** Fills one digit's outline, its visual centre at {@code centre} plus a random shift. */
    private static void glyph(Graphics2D g, Random random, int digit, int centre) {
        String family = FONTS[random.nextInt(FONTS.length)];
        int style = random.nextBoolean() ? Font.BOLD : Font.PLAIN;
        double scale = 0.85 + 0.3 * random.nextDouble();
        double angle = (2 * random.nextDouble() - 1) * MAX_ROTATION;
        int dx = random.nextInt(2 * MAX_SHIFT + 1) - MAX_SHIFT;
        int dy = random.nextInt(2 * MAX_SHIFT + 1) - MAX_SHIFT;
        Font font = new Font(family, style, 40);
        GlyphVector vector = font.createGlyphVector(g.getFontRenderContext(), Integer.toString(digit));
        Rectangle2D bounds = vector.getVisualBounds();
        double size = GLYPH_PX * scale / Math.max(1e-6, bounds.getHeight());
        AffineTransform at = new AffineTransform();
        at.translate(centre + dx, centre + dy);
        at.rotate(angle);
        at.scale(size, size);
        at.translate(-bounds.getCenterX(), -bounds.getCenterY());
        g.fill(at.createTransformedShape(vector.getOutline()));
    }

    private static void checkRows(int rows) {
        if (rows < 1) {
            throw new IllegalArgumentException("overlay digits need at least 1 row, asked for " + rows);
        }
    }
}

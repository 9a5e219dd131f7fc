package dev.chorus.mtl.data;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Encodes a CSV file's feature columns as the numeric columns of a {@link Dataset}, so the trainer
 * sees numbers only. The encoding is decided from the whole file (every row, not only the training
 * split): it is part of the data's shape, not a statistic learned from labels.
 *
 * <ul>
 *   <li><b>Missing cells.</b> A cell is missing when it is empty or, ignoring case, {@code NA},
 *       {@code N/A}, {@code NaN} or {@code null}.</li>
 *   <li><b>Numeric column</b> (every present cell a finite number, and not declared categorical): one
 *       column of the same name, a missing cell {@link Float#NaN} (the trainer imputes the training
 *       mean). When at least one cell is missing, a missing-indicator column {@code name?missing}
 *       follows it, 1 where the cell is missing and 0 elsewhere, so a model can learn from the fact
 *       of absence as well.</li>
 *   <li><b>Categorical column</b> (declared, or holding a present cell that is not a number): with at
 *       most {@value #MAX_ONE_HOT} distinct levels, one-hot: one column {@code name=level} per level,
 *       levels sorted as text ({@link String#compareTo}); above that, feature hashing into
 *       {@value #HASH_BUCKETS} columns {@code name#h0 .. name#h15}: a level sets bucket
 *       {@code murmur3_32(utf8(level), seed 0x43484F52) mod 16} to 1. Hashing keeps the width fixed
 *       for postcodes and ids, at the price of collisions; the fixed seed keeps it stable across runs,
 *       JVMs and study seeds. A missing cell is all zeros either way.</li>
 * </ul>
 *
 * <p>Columns keep the order of the feature list, each expanded in place.
 */
final class CsvFeatures {

    /** Most distinct levels a categorical column is one-hot encoded with; above, it is hashed. */
    static final int MAX_ONE_HOT = 32;
    /** Columns a hashed categorical column becomes. */
    static final int HASH_BUCKETS = 16;
    static final int HASH_SEED = 0x43484F52;
    private static final Set<String> MISSING = Set.of("", "na", "n/a", "nan", "null");

    /**
     * The encoded features.
     *
     * @param names  the dataset's feature names
     * @param values {@code rows * names.size()} values, row-major
     */
    record Encoded(List<String> names, float[] values) {
    }

    private CsvFeatures() {
    }

    /** Whether a (trimmed) cell counts as missing. */
    static boolean missing(String cell) {
        return MISSING.contains(cell.toLowerCase(Locale.ROOT));
    }

    /** A finite float, or {@code null} when the cell is not one. */
    static Float number(String cell) {
        try {
            float v = Float.parseFloat(cell);
            return Float.isFinite(v) && !cell.endsWith("f") && !cell.endsWith("F") && !cell.endsWith("d")
                    && !cell.endsWith("D") ? v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * @param columns     column name to its cells, one per row, in feature order
     * @param categorical the columns declared categorical
     * @param file        the file's name, for errors
     * @throws IllegalArgumentException when two encoded columns would share a name
     */
    static Encoded encode(Map<String, List<String>> columns, Set<String> categorical, String file) {
        List<String> names = new ArrayList<>();
        List<float[]> values = new ArrayList<>();
        int rows = columns.values().iterator().next().size();
        columns.forEach((name, cells) -> {
            boolean isCategorical = categorical.contains(name)
                    || cells.stream().anyMatch(c -> !missing(c) && number(c) == null);
            if (isCategorical) {
                categorical(name, cells, names, values);
            } else {
                numeric(name, cells, names, values);
            }
        });
        Set<String> seen = new HashSet<>();
        for (String n : names) {
            if (!seen.add(n)) {
                throw new IllegalArgumentException(file + ": two feature columns would be named '" + n
                        + "' after encoding categorical and missing cells; rename the column '" + n + "'");
            }
        }
        float[] out = new float[rows * names.size()];
        for (int j = 0; j < names.size(); j++) {
            float[] column = values.get(j);
            for (int i = 0; i < rows; i++) {
                out[i * names.size() + j] = column[i];
            }
        }
        return new Encoded(List.copyOf(names), out);
    }

    private static void numeric(String name, List<String> cells, List<String> names, List<float[]> values) {
        float[] column = new float[cells.size()];
        float[] indicator = new float[cells.size()];
        boolean anyMissing = false;
        for (int i = 0; i < column.length; i++) {
            String cell = cells.get(i);
            if (missing(cell)) {
                column[i] = Float.NaN;
                indicator[i] = 1;
                anyMissing = true;
            } else {
                column[i] = number(cell);
            }
        }
        names.add(name);
        values.add(column);
        if (anyMissing) {
            names.add(name + "?missing");
            values.add(indicator);
        }
    }

    private static void categorical(String name, List<String> cells, List<String> names, List<float[]> values) {
        TreeSet<String> levels = new TreeSet<>();
        cells.stream().filter(c -> !missing(c)).forEach(levels::add);
        Map<String, Integer> column = new TreeMap<>();
        int width;
        if (levels.size() <= MAX_ONE_HOT) {
            for (String level : levels) {
                column.put(level, column.size());
                names.add(name + "=" + level);
            }
            width = levels.size();
        } else {
            for (String level : levels) {
                column.put(level, bucket(level));
            }
            for (int b = 0; b < HASH_BUCKETS; b++) {
                names.add(name + "#h" + b);
            }
            width = HASH_BUCKETS;
        }
        float[][] encoded = new float[width][cells.size()];
        for (int i = 0; i < cells.size(); i++) {
            Integer j = column.get(cells.get(i));
            if (j != null) { // a missing cell is no level: all zeros
                encoded[j][i] = 1;
            }
        }
        values.addAll(List.of(encoded));
    }

    /** The hashing bucket of a level: murmur3_32 of its UTF-8 bytes, seeded, mod {@value #HASH_BUCKETS}. */
    static int bucket(String level) {
        return Math.floorMod(murmur3(level.getBytes(StandardCharsets.UTF_8), HASH_SEED), HASH_BUCKETS);
    }

    /** MurmurHash3 x86 32-bit (Austin Appleby, public domain). */
    static int murmur3(byte[] data, int seed) {
        int h = seed;
        int blocks = data.length / 4;
        for (int i = 0; i < blocks; i++) {
            int k = (data[4 * i] & 0xff) | (data[4 * i + 1] & 0xff) << 8 | (data[4 * i + 2] & 0xff) << 16
                    | (data[4 * i + 3] & 0xff) << 24;
            h ^= mixK(k);
            h = Integer.rotateLeft(h, 13) * 5 + 0xe6546b64;
        }
        int k = 0;
        int tail = blocks * 4;
        switch (data.length & 3) {
            case 3:
                k ^= (data[tail + 2] & 0xff) << 16;
            case 2:
                k ^= (data[tail + 1] & 0xff) << 8;
            case 1:
                k ^= data[tail] & 0xff;
                h ^= mixK(k);
            default:
                break;
        }
        h ^= data.length;
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }

    private static int mixK(int k) {
        k *= 0xcc9e2d51;
        k = Integer.rotateLeft(k, 15);
        return k * 0x1b873593;
    }
}

package dev.chorus.mtl.data;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The rows of a study, loaded once and shared by every training run: numeric features and, for each
 * task, one label per row. Immutable: the constructor and the array accessors copy.
 *
 * <p>Labels are stored as floats. A classification label is its class index ({@code 0..k-1}, with
 * {@code k} in {@link #classCounts()}); a regression label is the target in its original units.
 * {@link Float#NaN} means the row carries no label for that task. A feature cell may also be
 * {@link Float#NaN} (a missing CSV cell): the trainer imputes the mean of the training split. Features
 * are numbers only: a CSV file's categorical columns and missing cells arrive already encoded as extra
 * columns ({@code city=paris}, {@code postcode#h7}, {@code age?missing}; see {@link CsvFeatures}), and
 * {@link #contentHash()} covers those encoded columns.
 *
 * <p>Two datasets holding the same values are not {@code equals} (records compare arrays by
 * identity): compare {@link #contentHash()} instead.
 *
 * @param name         a short name for logs and reports
 * @param featureNames the feature columns, in the order of {@code features}
 * @param features     {@code rows() * featureNames().size()} values, row-major
 * @param labels       task name to its {@code rows()} labels, in task order
 * @param classCounts  for each classification task, its class count (at least 2); regression
 *                     tasks have no entry
 */
public record Dataset(String name, List<String> featureNames, float[] features, Map<String, float[]> labels,
                      Map<String, Integer> classCounts) {

    public Dataset {
        Objects.requireNonNull(name, "name");
        featureNames = List.copyOf(featureNames);
        Objects.requireNonNull(features, "features");
        if (featureNames.isEmpty()) {
            throw new IllegalArgumentException("dataset '" + name + "' has no feature columns");
        }
        if (features.length == 0 || features.length % featureNames.size() != 0) {
            throw new IllegalArgumentException("dataset '" + name + "': " + features.length
                    + " feature values are not a whole, positive number of rows of " + featureNames.size());
        }
        int rows = features.length / featureNames.size();
        features = features.clone();
        Map<String, float[]> copy = new LinkedHashMap<>();
        labels.forEach((task, values) -> {
            if (values.length != rows) {
                throw new IllegalArgumentException("task '" + task + "' has " + values.length
                        + " labels for " + rows + " rows");
            }
            copy.put(task, values.clone());
        });
        labels = Collections.unmodifiableMap(copy);
        classCounts = Collections.unmodifiableMap(new LinkedHashMap<>(classCounts));
        for (Map.Entry<String, Integer> e : classCounts.entrySet()) {
            if (!labels.containsKey(e.getKey()) || e.getValue() < 2) {
                throw new IllegalArgumentException("class count " + e.getValue() + " for task '" + e.getKey()
                        + "' needs a labelled task with at least 2 classes");
            }
        }
    }

    /** Number of rows. */
    public int rows() {
        return features.length / featureNames.size();
    }

    /** Number of feature columns. */
    public int featureCount() {
        return featureNames.size();
    }

    /** A copy of the features, row-major. */
    @Override
    public float[] features() {
        return features.clone();
    }

    /** One feature cell; {@link Float#NaN} when missing. */
    public float feature(int row, int column) {
        return features[row * featureNames.size() + column];
    }

    /** The tasks with labels here, in order. */
    public List<String> taskNames() {
        return List.copyOf(labels.keySet());
    }

    /** A deep copy of every task's labels. */
    @Override
    public Map<String, float[]> labels() {
        Map<String, float[]> copy = new LinkedHashMap<>();
        labels.forEach((task, values) -> copy.put(task, values.clone()));
        return Collections.unmodifiableMap(copy);
    }

    /**
     * A copy of one task's labels.
     *
     * @throws IllegalArgumentException when the dataset has no such task
     */
    public float[] labels(String task) {
        float[] values = labels.get(task);
        if (values == null) {
            throw new IllegalArgumentException("dataset '" + name + "' has no labels for task '" + task
                    + "'; it has: " + String.join(", ", labels.keySet()));
        }
        return values.clone();
    }

    /** The class count of a classification task, or 0 for a regression task or an unknown one. */
    public int classCount(String task) {
        return classCounts.getOrDefault(task, 0);
    }

    /** How many rows carry a label for {@code task}. */
    public int labelledCount(String task) {
        int n = 0;
        for (float v : labels(task)) {
            n += Float.isNaN(v) ? 0 : 1;
        }
        return n;
    }

    /**
     * SHA-256 (lower-case hex) of the feature names, the features, the task names, their labels and
     * class counts; the {@link #name()} does not count. Stable across runs and JVMs: every float
     * enters as its {@link Float#floatToIntBits} (so every NaN hashes alike), big-endian.
     */
    public String contentHash() {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks SHA-256", e);
        }
        digest.update(intBytes(featureNames.size()));
        featureNames.forEach(f -> digest.update(text(f)));
        digest.update(floatBytes(features));
        digest.update(intBytes(labels.size()));
        labels.forEach((task, values) -> {
            digest.update(text(task));
            digest.update(intBytes(classCount(task)));
            digest.update(floatBytes(values));
        });
        return HexFormat.of().formatHex(digest.digest());
    }

    private static byte[] text(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + utf8.length).putInt(utf8.length).put(utf8).array();
    }

    private static byte[] intBytes(int value) {
        return ByteBuffer.allocate(4).putInt(value).array();
    }

    private static byte[] floatBytes(float[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(4 + 4 * values.length).putInt(values.length);
        for (float v : values) {
            buffer.putInt(Float.floatToIntBits(v));
        }
        return buffer.array();
    }

    @Override
    public String toString() {
        return "Dataset[" + name + ", " + rows() + " rows, " + featureCount() + " features, tasks "
                + labels.keySet() + "]";
    }
}

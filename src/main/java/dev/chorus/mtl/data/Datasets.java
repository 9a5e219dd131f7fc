package dev.chorus.mtl.data;

import dev.chorus.mtl.Task;
import dev.chorus.mtl.TaskType;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Loads the {@link Dataset} a {@link DatasetSpec} describes. */
public final class Datasets {

    private Datasets() {
    }

    /**
     * Loads a study's rows: generates them for a {@link SyntheticSpec} (see {@link SyntheticData} for
     * the model), reads them for a {@link CsvSpec} (see {@link CsvLoader} for the format). The dataset
     * holds one label column per task of {@code tasks}, in that order.
     *
     * @param seed the study's seed; only synthetic data depends on it, and the same spec, tasks and
     *             seed always give the same {@link Dataset#contentHash()}
     * @throws IllegalArgumentException with a message naming the column, line or task at fault and what
     *                                  to change: a task that is not in the data, a non-numeric cell, a
     *                                  classification task with fewer than 2 classes, no rows, ...
     * @throws java.io.UncheckedIOException when the CSV file cannot be read
     */
    public static Dataset load(DatasetSpec spec, List<Task> tasks, long seed) {
        return load(spec, tasks, seed, DataRoots.ANY);
    }

    /**
     * As {@link #load(DatasetSpec, List, long)}, with every image an image table lists confined to
     * {@code roots} (an image elsewhere is an {@link IllegalArgumentException}); the table itself is
     * confined by the parser.
     */
    public static Dataset load(DatasetSpec spec, List<Task> tasks, long seed, DataRoots roots) {
        Objects.requireNonNull(spec, "spec");
        checkTasks(tasks);
        return switch (spec) {
            case SyntheticSpec s -> SyntheticData.generate(s, tasks, seed);
            case CsvSpec c -> CsvLoader.load(c, tasks);
            case ImageSpec i -> ImageTable.load(i.path(), i.imageColumn(), tasks, i.height(), i.width(), i.grayscale(),
                    roots);
        };
    }

    private static void checkTasks(List<Task> tasks) {
        if (tasks == null || tasks.isEmpty()) {
            throw new IllegalArgumentException("a study needs at least one task");
        }
        Set<String> seen = new HashSet<>();
        for (Task t : tasks) {
            if (!seen.add(t.name())) {
                throw new IllegalArgumentException("task '" + t.name() + "' is declared twice; task names must be unique");
            }
        }
    }

    /**
     * Builds the dataset after checking the labels: some row carries a label, every task has a labelled row, every
     * classification task sees at least 2 distinct classes among its labelled rows, a binary task at
     * most 2. The class count of a classification task is its largest class index + 1.
     *
     * @param labels task name to its labels, classes already as indices 0..k-1
     */
    static Dataset build(String name, List<String> featureNames, float[] features, List<Task> tasks,
                         Map<String, float[]> labels) {
        int rows = featureNames.isEmpty() ? 0 : features.length / featureNames.size();
        boolean anyLabel = false;
        for (int i = 0; i < rows && !anyLabel; i++) {
            for (Task t : tasks) {
                anyLabel |= !Float.isNaN(labels.get(t.name())[i]);
            }
        }
        if (!anyLabel && rows > 0) {
            throw new IllegalArgumentException("no rows left in dataset '" + name + "': none of its " + rows
                    + " rows carries a label for any task (" + String.join(", ", labels.keySet())
                    + "); fill the label columns or check the task names");
        }
        Map<String, float[]> ordered = new LinkedHashMap<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Task t : tasks) {
            float[] values = labels.get(t.name());
            ordered.put(t.name(), values);
            int labelled = 0;
            float max = -1;
            Set<Float> classes = new HashSet<>();
            for (float v : values) {
                if (!Float.isNaN(v)) {
                    labelled++;
                    max = Math.max(max, v);
                    classes.add(v);
                }
            }
            if (labelled == 0) {
                throw new IllegalArgumentException("task '" + t.name() + "' has no labelled row in dataset '"
                        + name + "'; fill its column or remove the task");
            }
            if (t.type() == TaskType.REGRESSION) {
                continue;
            }
            if (classes.size() < 2) {
                throw new IllegalArgumentException("task '" + t.name() + "' is " + t.type().id()
                        + " but its labelled rows hold a single class; it needs at least 2 (label more rows,"
                        + " raise the labelled fraction, or declare it regression)");
            }
            if (t.type() == TaskType.BINARY && classes.size() > 2) {
                throw new IllegalArgumentException("task '" + t.name() + "' is binary but its labels hold "
                        + classes.size() + " classes; declare it multiclass");
            }
            counts.put(t.name(), (int) max + 1);
        }
        return new Dataset(name, featureNames, features, ordered, counts);
    }
}

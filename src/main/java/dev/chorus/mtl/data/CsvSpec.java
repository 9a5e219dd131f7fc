package dev.chorus.mtl.data;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A user's CSV file: a header row, one column per task (named like the task) and numeric feature
 * columns. An empty label cell means the row has no label for that task.
 *
 * @param path     the file, resolved against the search-space file's folder by the parser
 * @param features the feature columns to use; empty means every column that is not a task
 */
public record CsvSpec(Path path, java.util.List<String> features) implements DatasetSpec {
    public CsvSpec {
        Objects.requireNonNull(path, "path");
        features = features == null ? java.util.List.of() : java.util.List.copyOf(features);
    }
}

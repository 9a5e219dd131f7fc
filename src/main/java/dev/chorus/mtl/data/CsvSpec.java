package dev.chorus.mtl.data;

import dev.chorus.mtl.sampling.SamplingSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A user's CSV file: a header row, one column per task (named like the task) and feature columns,
 * numeric or categorical. See {@link CsvLoader} for the format and {@link CsvFeatures} for how
 * categorical and missing cells are encoded. An empty label cell means the row has no label for that
 * task.
 *
 * @param path        the file, resolved against the search-space file's folder by the parser
 * @param features    the feature columns to use; empty means every column that is not a task
 * @param categorical feature columns to treat as categorical even when their cells look numeric (codes,
 *                    postcodes); a column not listed is categorical anyway when a cell is not a number
 * @param sampling    how training epochs pick rows
 * @param delimiter   the field separator: {@code ','} (the default), {@code ';'} (as European spreadsheets
 *                    export) or a tab
 * @param decimalComma whether numbers are written with a decimal comma ({@code 3,14}); then a number's
 *                    comma is read as its decimal point (no thousands separators)
 */
public record CsvSpec(Path path, List<String> features, List<String> categorical, SamplingSpec sampling,
                      char delimiter, boolean decimalComma) implements DatasetSpec {

    /** The delimiters a CSV file may use. */
    public static final String DELIMITERS = "',' (default), ';' or tab";

    public CsvSpec {
        Objects.requireNonNull(path, "path");
        features = features == null ? List.of() : List.copyOf(features);
        categorical = categorical == null ? List.of() : List.copyOf(categorical);
        sampling = sampling == null ? SamplingSpec.ALL : sampling;
        if (delimiter != ',' && delimiter != ';' && delimiter != '\t') {
            throw new IllegalArgumentException("the delimiter must be " + DELIMITERS + ", was '" + delimiter + "'");
        }
    }

    /** Comma-separated with decimal points. */
    public CsvSpec(Path path, List<String> features, List<String> categorical, SamplingSpec sampling) {
        this(path, features, categorical, sampling, ',', false);
    }

    /** Numeric or inferred columns only, sampling {@code all}. */
    public CsvSpec(Path path, List<String> features) {
        this(path, features, List.of(), SamplingSpec.ALL);
    }
}

package dev.chorus.mtl.data;

import dev.chorus.mtl.Task;
import dev.chorus.mtl.TaskType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@link CsvSpec}'s file.
 *
 * <p>Format: UTF-8 (a leading byte-order mark is skipped), a header row, then one record per line,
 * fields separated by commas. A field may be quoted with {@code "}; inside quotes a comma is
 * literal and {@code ""} is one quote; a quoted field cannot span lines. Blank lines are skipped.
 * Cells are trimmed.
 *
 * <ul>
 *   <li>Every task reads the column named like it; the feature columns are {@link CsvSpec#features()},
 *       or every non-task column when that is empty. Every column named in the spec (feature or
 *       categorical) must be in the header, and no task may be a feature.</li>
 *   <li>Feature columns may be numeric or categorical, and cells may be missing (empty, {@code NA},
 *       {@code NaN}, {@code null}): {@link CsvFeatures} encodes them as numbers (one-hot or hashed
 *       levels, missing indicators).</li>
 *   <li>A missing label cell means the row has no label for that task. A regression label must be a
 *       number. Classification labels may be any text: the distinct values are sorted (numerically
 *       when they all are numbers, else as text) and numbered 0, 1, ...</li>
 * </ul>
 */
final class CsvLoader {

    private CsvLoader() {
    }

    static Dataset load(CsvSpec spec, List<Task> tasks) {
        List<String> lines;
        try {
            lines = Files.readAllLines(spec.path(), StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(spec.path().getFileName() + " is not UTF-8 text; save it as UTF-8");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dataset file " + spec.path() + ": " + e.getMessage(), e);
        }
        String file = spec.path().getFileName().toString();
        int headerLine = firstNonBlank(lines);
        if (headerLine < 0) {
            throw new IllegalArgumentException(file + " is empty; it needs a header row and at least one data row");
        }
        List<String> header = split(stripBom(lines.get(headerLine)), file, headerLine + 1);
        Map<String, Integer> columns = new HashMap<>();
        for (int c = 0; c < header.size(); c++) {
            if (columns.putIfAbsent(header.get(c), c) != null) {
                throw new IllegalArgumentException(file + ": column '" + header.get(c)
                        + "' appears twice in the header; rename one");
            }
        }
        for (Task t : tasks) {
            if (!columns.containsKey(t.name())) {
                throw new IllegalArgumentException(file + ": no column '" + t.name() + "' for task '" + t.name()
                        + "'; the header has: " + String.join(", ", header) + ". Rename the task or the column");
            }
        }
        List<String> featureNames = featureColumns(spec, tasks, header, columns, file);

        List<List<String>> records = new ArrayList<>();
        List<Integer> lineNumbers = new ArrayList<>();
        for (int i = headerLine + 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            List<String> fields = split(lines.get(i), file, i + 1);
            if (fields.size() != header.size()) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": " + fields.size()
                        + " fields, but the header has " + header.size() + " columns");
            }
            records.add(fields);
            lineNumbers.add(i + 1);
        }
        if (records.isEmpty()) {
            throw new IllegalArgumentException(file + " has a header but no data rows");
        }

        Map<String, List<String>> featureCells = new LinkedHashMap<>();
        for (String f : featureNames) {
            int c = columns.get(f);
            featureCells.put(f, records.stream().map(r -> r.get(c)).toList());
        }
        CsvFeatures.Encoded encoded = CsvFeatures.encode(featureCells, new HashSet<>(spec.categorical()), file);
        Map<String, float[]> labels = new LinkedHashMap<>();
        for (Task t : tasks) {
            int c = columns.get(t.name());
            List<String> cells = records.stream().map(r -> r.get(c)).toList();
            labels.put(t.name(), t.type() == TaskType.REGRESSION
                    ? regression(cells, file, lineNumbers, t.name())
                    : classes(cells));
        }
        return Datasets.build(file, encoded.names(), encoded.values(), tasks, labels);
    }

    private static List<String> featureColumns(CsvSpec spec, List<Task> tasks, List<String> header,
                                               Map<String, Integer> columns, String file) {
        List<String> taskNames = tasks.stream().map(Task::name).toList();
        if (spec.features().isEmpty() && header.stream().allMatch(taskNames::contains)) {
            throw new IllegalArgumentException(file + " has no feature column: every column is a task");
        }
        for (String f : spec.features()) {
            checkColumn(f, "feature", taskNames, columns, header, file);
        }
        for (String f : spec.categorical()) {
            checkColumn(f, "categorical", taskNames, columns, header, file);
        }
        if (spec.features().isEmpty()) {
            return header.stream().filter(h -> !taskNames.contains(h)).toList();
        }
        for (String f : spec.categorical()) {
            if (!spec.features().contains(f)) {
                throw new IllegalArgumentException(file + ": categorical column '" + f + "' is not among the"
                        + " features " + spec.features() + "; add it to dataset.csv.features or drop it from"
                        + " dataset.csv.categorical");
            }
        }
        return spec.features();
    }

    private static void checkColumn(String column, String role, List<String> taskNames,
                                    Map<String, Integer> columns, List<String> header, String file) {
        if (!columns.containsKey(column)) {
            throw new IllegalArgumentException(file + ": " + role + " column '" + column + "' is not in the header;"
                    + " the header has: " + String.join(", ", header));
        }
        if (taskNames.contains(column)) {
            throw new IllegalArgumentException(file + ": column '" + column + "' is both a task and a " + role
                    + " column; remove it from dataset.csv." + (role.equals("feature") ? "features" : role));
        }
    }

    private static float[] regression(List<String> cells, String file, List<Integer> lines, String task) {
        float[] out = new float[cells.size()];
        for (int i = 0; i < out.length; i++) {
            String cell = cells.get(i);
            out[i] = CsvFeatures.missing(cell) ? Float.NaN : number(cell, file, lines.get(i), task,
                    "task '" + task + "' is regression, so its labels must be numbers (leave the cell empty"
                            + " for a missing label, or declare the task binary or multiclass)");
        }
        return out;
    }

    /** Numbers the distinct labelled cells 0, 1, ... in sorted order (numeric when all are numbers). */
    private static float[] classes(List<String> cells) {
        return ClassIndex.of(cells, CsvFeatures::missing, CsvLoader::isNumber).encode(cells);
    }

    private static boolean isNumber(String s) {
        try {
            return Double.isFinite(Double.parseDouble(s));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static float number(String cell, String file, int line, String column, String fix) {
        if (isNumber(cell)) {
            float v = Float.parseFloat(cell);
            if (Float.isFinite(v)) {
                return v;
            }
        }
        throw new IllegalArgumentException(file + " line " + line + ", column '" + column + "': '" + cell
                + "' is not a finite number; " + fix);
    }

    private static int firstNonBlank(List<String> lines) {
        for (int i = 0; i < lines.size(); i++) {
            if (!stripBom(lines.get(i)).isBlank()) {
                return i;
            }
        }
        return -1;
    }

    private static String stripBom(String line) {
        return line.startsWith("\uFEFF") ? line.substring(1) : line;
    }

    /** Splits one line into trimmed fields, honouring double quotes. */
    static List<String> split(String line, String file, int lineNumber) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    field.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                fields.add(field.toString().strip());
                field.setLength(0);
            } else {
                field.append(ch);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException(file + " line " + lineNumber
                    + ": a quoted field is not closed; quoted fields cannot span lines");
        }
        fields.add(field.toString().strip());
        return fields;
    }
}

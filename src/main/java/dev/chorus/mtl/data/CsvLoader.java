package dev.chorus.mtl.data;

import dev.chorus.mtl.Task;
import dev.chorus.mtl.TaskType;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.RuntimeJsonMappingException;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
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
import java.util.regex.Pattern;

/**
 * Reads a {@link CsvSpec}'s file.
 *
 * <p>Format: RFC 4180 as Jackson's CSV parser reads it, in UTF-8 (a leading byte-order mark is skipped):
 * a header row, then one record per row, fields separated by {@link CsvSpec#delimiter()} (comma,
 * semicolon or tab). A field may be quoted with {@code "}; inside quotes the delimiter and line breaks
 * are literal and {@code ""} is one quote. Blank lines are skipped. Cells are trimmed. With
 * {@link CsvSpec#decimalComma()}, a cell that is a number written with a decimal comma ({@code -3,14},
 * {@code 1,5e3}) is read with a decimal point.
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
        String file = spec.path().getFileName().toString();
        List<Row> rows = read(spec, file);
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(file + " is empty; it needs a header row and at least one data row");
        }
        List<String> header = rows.getFirst().fields();
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
                        + "'; the header has: " + String.join(", ", header) + ". Rename the task or the column"
                        + (header.size() == 1 && spec.delimiter() == ',' && header.getFirst().contains(";")
                        ? " (the header looks semicolon-separated: set dataset.csv.delimiter: ';')" : ""));
            }
        }
        List<String> featureNames = featureColumns(spec, tasks, header, columns, file);

        List<List<String>> records = new ArrayList<>();
        List<Integer> lineNumbers = new ArrayList<>();
        for (Row row : rows.subList(1, rows.size())) {
            if (row.fields().size() != header.size()) {
                throw new IllegalArgumentException(file + " line " + row.line() + ": " + row.fields().size()
                        + " fields, but the header has " + header.size() + " columns");
            }
            records.add(spec.decimalComma() ? row.fields().stream().map(CsvLoader::decimalPoint).toList()
                    : row.fields());
            lineNumbers.add(row.line());
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

    /** One record and the line it starts on (1-based). */
    record Row(int line, List<String> fields) {
    }

    private static final Pattern DECIMAL_COMMA = Pattern.compile("[-+]?\\d+,\\d+([eE][-+]?\\d+)?");

    /** A number written with a decimal comma, with a decimal point instead; any other cell as it is. */
    static String decimalPoint(String cell) {
        return DECIMAL_COMMA.matcher(cell).matches() ? cell.replace(',', '.') : cell;
    }

    private static List<Row> read(CsvSpec spec, String file) {
        return read(spec.path(), spec.delimiter(), file);
    }

    /** Every non-blank record of {@code path}, trimmed, the header first; {@code file} names it in messages. */
    static List<Row> read(java.nio.file.Path path, char delimiter, String file) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(path)))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(file + " is not UTF-8 text; save it as UTF-8");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dataset file " + path + ": " + e.getMessage(), e);
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        CsvSchema schema = CsvSchema.emptySchema().withColumnSeparator(delimiter).withQuoteChar('"')
                .withoutEscapeChar();
        List<Row> rows = new ArrayList<>();
        try (MappingIterator<String[]> records = MAPPER.readerFor(String[].class).with(schema).readValues(text)) {
            while (records.hasNextValue()) {
                int line = records.getCurrentLocation().getLineNr();
                String[] fields = records.nextValue();
                List<String> trimmed = java.util.Arrays.stream(fields).map(String::strip).toList();
                if (trimmed.stream().allMatch(String::isEmpty)) {
                    continue; // a blank line
                }
                rows.add(new Row(line, trimmed));
            }
        } catch (RuntimeJsonMappingException | IOException e) {
            String where = e instanceof JsonProcessingException j && j.getLocation() != null
                    ? " line " + j.getLocation().getLineNr() : "";
            throw new IllegalArgumentException(file + where + ": not valid CSV (" + (e instanceof JsonProcessingException j
                    ? j.getOriginalMessage() : e.getMessage()) + "); a quoted field must end with a quote");
        }
        return rows;
    }

    private static final CsvMapper MAPPER = CsvMapper.builder().enable(CsvParser.Feature.WRAP_AS_ARRAY)
            .enable(CsvParser.Feature.SKIP_EMPTY_LINES).build();
}

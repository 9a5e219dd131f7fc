package dev.chorus.spec;


import static dev.chorus.spec.SpecReader.keys;

import dev.chorus.mtl.data.CsvSpec;
import dev.chorus.mtl.data.DataRoots;
import dev.chorus.mtl.data.DatasetSpec;
import dev.chorus.mtl.data.Datasets;
import dev.chorus.mtl.data.ImageSpec;
import dev.chorus.mtl.data.SyntheticSpec;
import dev.chorus.mtl.sampling.SamplingSpec;
import dev.chorus.spec.SpecReader.Bounds;
import dev.chorus.spec.SpecReader.Section;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Reads the {@code dataset} section of a search-space file; see {@link SpecParser} for the format. Beyond
 * what {@link SpecParser} lists, a source takes these optional keys:
 *
 * {@snippet lang = "yaml" :
 * dataset:
 *   csv:
 *     path: messy.csv
 *     features: [age, plan, postcode]   # optional, default every column that is not a task
 *     categorical: [postcode]           # optional: columns encoded as categories even if they look numeric;
 *                                       #   a column holding any non-number is categorical anyway
 *     sampling: { temperature: 2.0 }    # optional: all (default) | proportional | { temperature: T }, T > 0
 * }
 *
 * <p>{@code sampling} may also sit directly under {@code dataset}, for either source, once
 * {@link SpecParser} opens that mapping with {@link #KEYS} instead of {@link #KINDS} (giving it in both
 * places is a problem); until then a synthetic data set always samples {@code all}. See
 * {@link dev.chorus.mtl.sampling.BatchPlan} for what each sampling does and
 * {@link dev.chorus.mtl.data.CsvSpec} for the columns.
 */
final class SpecDatasets {

    /** The data sources; a {@code dataset} section names exactly one. */
    static final Set<String> KINDS = keys("synthetic", "csv", "images");
    /** Every key a {@code dataset} section may hold: a source, and {@code sampling}. */
    static final Set<String> KEYS = keys("synthetic", "csv", "images", "sampling");
    private static final Set<String> IMAGES = keys("path", "image-column", "height", "width", "grayscale", "trunk",
            "sampling");
    private static final String TRUNKS = "lenet, resnet";
    static final String SAMPLINGS = "all, proportional, { temperature: T } with T > 0";
    private static final Set<String> SYNTHETIC = keys("rows", "features", "noise", "labelled", "clusters", "conflicting",
            "disjoint", "latent");
    /** The widest latent code a synthetic study may ask for. */
    static final int MAX_LATENT = 64;
    private static final Set<String> CSV = keys("path", "features", "categorical", "sampling", "delimiter", "decimal");
    private static final Set<String> TEMPERATURE = keys("temperature");
    /** Most values ({@code rows * features}) a synthetic data set may have: about 80 MB of floats. */
    static final long MAX_SYNTHETIC_VALUES = 20_000_000;
    static final double DEFAULT_NOISE = 0.3;
    static final double DEFAULT_LABELLED = 1.0;

    private SpecDatasets() {
    }

    /**
     * @param tasks the names of the file's tasks, or {@code null} when the tasks could not be read (then
     *              clusters are not checked against them)
     * @return the data set, or {@code null} after recording why not
     */
    static DatasetSpec read(SpecReader reader, Section dataset, Set<String> tasks, Path baseDir, DataRoots roots) {
        long kinds = KINDS.stream().filter(dataset::has).count();
        if (dataset.present() && kinds != 1) {
            dataset.problem((kinds == 0 ? "names no source" : "names more than one source")
                    + "; allowed: exactly one of " + String.join(", ", KINDS));
        }
        DatasetSpec synthetic = dataset.has("synthetic")
                ? synthetic(reader, dataset.section("synthetic", SYNTHETIC), tasks) : null;
        DatasetSpec csv = dataset.has("csv") ? csv(reader, dataset.section("csv", CSV), baseDir, roots) : null;
        DatasetSpec images = dataset.has("images")
                ? images(reader, dataset.section("images", IMAGES), baseDir, roots) : null;
        DatasetSpec source = kinds == 1 ? (synthetic != null ? synthetic : csv != null ? csv : images) : null;
        if (!dataset.has("sampling")) {
            return source;
        }
        SamplingSpec sampling = sampling(reader, dataset.node("sampling"), dataset.path("sampling"));
        if (source == null || sampling == null) {
            return null;
        }
        String kind = KINDS.stream().filter(dataset::has).findFirst().orElseThrow();
        if (dataset.node(kind) instanceof MappingNode m
                && m.getValue().stream().anyMatch(e -> e.getKeyNode() instanceof ScalarNode k
                        && k.getValue().equals("sampling"))) {
            reader.problem(dataset.line("sampling"), dataset.path("sampling"), "sampling is also given under "
                    + dataset.path(kind) + "; allowed: one sampling, in either place");
            return null;
        }
        return switch (source) {
            case SyntheticSpec s -> new SyntheticSpec(s.rows(), s.features(), s.noise(), s.labelled(), s.clusters(),
                    s.conflicting(), sampling, s.disjoint(), s.latent());
            case CsvSpec c -> new CsvSpec(c.path(), c.features(), c.categorical(), sampling);
            case ImageSpec i -> new ImageSpec(i.path(), i.imageColumn(), i.height(), i.width(), i.grayscale(), i.trunk(),
                    sampling);
        };
    }

    /**
     * A {@code sampling} value: {@code all}, {@code proportional} or {@code {temperature: T}} with
     * {@code T > 0}; {@link SamplingSpec#ALL} when absent, {@code null} after recording a problem.
     */
    static SamplingSpec sampling(SpecReader reader, Node node, String path) {
        if (node == null) {
            return SamplingSpec.ALL;
        }
        if (node instanceof MappingNode) {
            Section s = reader.section(node, path, SpecReader.line(node), TEMPERATURE);
            s.required("temperature", "a number > 0");
            Double t = s.real("temperature", Bounds.above(0));
            return t == null ? null : SamplingSpec.temperature(t);
        }
        String text = reader.text(node, path, SAMPLINGS);
        if (text == null) {
            return null;
        }
        return switch (text) {
            case "all" -> SamplingSpec.ALL;
            case "proportional" -> SamplingSpec.PROPORTIONAL;
            case "temperature" -> {
                reader.problem(SpecReader.line(node), path, "temperature sampling needs its temperature, as"
                        + " { temperature: 2.0 }; allowed: " + SAMPLINGS);
                yield null;
            }
            default -> {
                reader.problem(SpecReader.line(node), path, "unknown sampling '" + text + "'; allowed: " + SAMPLINGS);
                yield null;
            }
        };
    }

    private static SyntheticSpec synthetic(SpecReader reader, Section s, Set<String> tasks) {
        if (!s.present()) {
            return null; // not a mapping, already reported
        }
        s.required("rows", SpecReader.range(50, Integer.MAX_VALUE));
        s.required("features", SpecReader.range(2, Integer.MAX_VALUE));
        Integer rows = s.integer("rows", 50, Integer.MAX_VALUE);
        Integer features = s.integer("features", 2, Integer.MAX_VALUE);
        if (rows != null && features != null && (long) rows * features > MAX_SYNTHETIC_VALUES) {
            reader.problem(s.line("rows"), s.path("rows"), rows + " rows of " + features + " features are "
                    + (long) rows * features + " values; allowed: rows * features at most " + MAX_SYNTHETIC_VALUES);
            rows = null;
        }
        Double noise = s.real("noise", Bounds.atLeast(0));
        Double labelled = s.real("labelled", new Bounds(0, true, 1, false));
        Boolean disjoint = s.bool("disjoint");
        Integer latent = s.integer("latent", 1, MAX_LATENT);

        // each task name, once placed, maps to the line it was placed on
        Map<String, Integer> placed = new HashMap<>();
        Map<String, List<String>> clusters = new LinkedHashMap<>();
        Section c = s.section("clusters", null);
        for (String cluster : c.keys()) {
            List<String> members = names(reader, c.node(cluster), c.path(cluster), tasks, placed);
            if (members != null && members.isEmpty()) {
                reader.problem(c.line(cluster), c.path(cluster), "a cluster needs at least one task; allowed: task names");
            }
            clusters.put(cluster, members);
        }
        List<String> conflicting = names(reader, s.node("conflicting"), s.path("conflicting"), tasks, placed);
        if (tasks != null) {
            for (String task : tasks) {
                if (!placed.containsKey(task)) {
                    reader.problem(s.line(s.has("clusters") ? "clusters" : "conflicting"), s.path("clusters"),
                            "task '" + task + "' is in no cluster and not in conflicting; allowed: every task in"
                                    + " exactly one cluster or in conflicting");
                }
            }
        }
        if (rows == null || features == null || clusters.containsValue(null)) {
            return null;
        }
        List<String> alone = conflicting == null ? List.of() : conflicting;
        if (Boolean.TRUE.equals(disjoint) && features < clusters.size() + alone.size()) {
            reader.problem(s.line("features"), s.path("features"), "disjoint: true gives each of the "
                    + (clusters.size() + alone.size()) + " clusters and conflicting tasks its own features, but there"
                    + " are only " + features + "; allowed: features at least " + (clusters.size() + alone.size()));
            return null;
        }
        return new SyntheticSpec(rows, features, noise == null ? DEFAULT_NOISE : noise,
                labelled == null ? DEFAULT_LABELLED : labelled, clusters, alone, SamplingSpec.ALL,
                Boolean.TRUE.equals(disjoint), latent == null ? SyntheticSpec.DEFAULT_LATENT : latent);
    }

    /** A list of task names, each placed once; {@code null} when not a list. */
    private static List<String> names(SpecReader reader, Node node, String path, Set<String> tasks,
                                      Map<String, Integer> placed) {
        String allowed = tasks == null ? "task names" : String.join(", ", tasks);
        List<Node> items = reader.list(node, path, allowed);
        if (items == null) {
            return node == null ? List.of() : null;
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Node item = items.get(i);
            String itemPath = path + "[" + i + "]";
            String name = reader.text(item, itemPath, allowed);
            if (name == null) {
                continue;
            }
            int line = SpecReader.line(item);
            if (tasks != null && !tasks.contains(name)) {
                reader.problem(line, itemPath, "'" + name + "' is not a task; allowed: " + allowed);
                continue;
            }
            Integer first = placed.putIfAbsent(name, line);
            if (first != null) {
                reader.problem(line, itemPath, "task '" + name + "' is already placed at line " + first
                        + "; allowed: every task in exactly one cluster or in conflicting");
            } else {
                names.add(name);
            }
        }
        return names;
    }

    private static ImageSpec images(SpecReader reader, Section s, Path baseDir, DataRoots roots) {
        if (!s.present()) {
            return null; // not a mapping, already reported
        }
        Path path = file(reader, s, baseDir, roots);
        String column = s.has("image-column") ? s.text("image-column", "a column name") : "image";
        s.required("height", SpecReader.range(1, 4096));
        s.required("width", SpecReader.range(1, 4096));
        Integer height = s.integer("height", 1, 4096);
        Integer width = s.integer("width", 1, 4096);
        Boolean grayscale = s.bool("grayscale");
        ImageSpec.ConvTrunk trunk = s.choice("trunk", TRUNKS, text -> switch (text) {
            case "lenet" -> ImageSpec.ConvTrunk.LENET;
            case "resnet" -> ImageSpec.ConvTrunk.RESNET;
            default -> throw new IllegalArgumentException("unknown trunk '" + text + "'; allowed: " + TRUNKS);
        });
        SamplingSpec sampling = sampling(reader, s.node("sampling"), s.path("sampling"));
        if (path == null || column == null || height == null || width == null || sampling == null
                || s.has("trunk") && trunk == null) {
            return null;
        }
        return new ImageSpec(path, column, height, width, grayscale == null || grayscale, trunk, sampling);
    }

    private static CsvSpec csv(SpecReader reader, Section s, Path baseDir, DataRoots roots) {
        if (!s.present()) {
            return null; // not a mapping, already reported
        }
        Path path = file(reader, s, baseDir, roots);
        List<String> features = columns(reader, s, "features", true);
        List<String> categorical = columns(reader, s, "categorical", false);
        SamplingSpec sampling = sampling(reader, s.node("sampling"), s.path("sampling"));
        Character delimiter = s.has("delimiter") ? s.choice("delimiter", CsvSpec.DELIMITERS, SpecDatasets::delimiter)
                : Character.valueOf(',');
        Boolean decimalComma = s.has("decimal") ? s.choice("decimal", "point (default) or comma", SpecDatasets::decimal)
                : Boolean.FALSE;
        return path == null || sampling == null || delimiter == null || decimalComma == null ? null
                : new CsvSpec(path, features, categorical, sampling, delimiter, decimalComma);
    }

    /** {@code dataset.csv.delimiter}: {@code ','}, {@code ';'} or {@code tab} (also a tab character). */
    private static Character delimiter(String text) {
        return switch (text) {
            case "," -> ',';
            case ";" -> ';';
            case "tab", "\t", "\\t" -> '\t';
            default -> throw new IllegalArgumentException("unknown delimiter '" + text + "'; allowed: "
                    + CsvSpec.DELIMITERS);
        };
    }

    /** {@code dataset.csv.decimal}: {@code point} or {@code comma}. */
    private static Boolean decimal(String text) {
        return switch (text) {
            case "point" -> false;
            case "comma" -> true;
            default -> throw new IllegalArgumentException("unknown decimal '" + text + "'; allowed: point (default) "
                    + "or comma");
        };
    }

    /**
     * The existing file named by {@code path}, resolved against {@code baseDir} and inside {@code roots}; null
     * after a problem. A path outside the roots is refused before looking for it, so the answer tells
     * nothing about files elsewhere.
     */
    private static Path file(SpecReader reader, Section s, Path baseDir, DataRoots roots) {
        s.required("path", "a CSV file, relative to " + baseDir.toAbsolutePath().normalize());
        String text = s.text("path", "a file path");
        if (text == null) {
            return null;
        }
        int line = SpecReader.line(s.node("path"));
        Path path;
        try {
            path = baseDir.resolve(text).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            reader.problem(line, s.path("path"), "not a valid path: " + e.getMessage()
                    + "; allowed: a CSV file under " + roots);
            return null;
        }
        if (roots.reserved(path)) { // refused before it is read: no message may quote Chorus's own files
            reader.problem(line, s.path("path"), "'" + text + "' lies in Chorus's own files (its database, logs or "
                    + "configuration), which are never data, whatever the data roots say; allowed: a CSV file of "
                    + "your own under " + roots + " (chorus.data.roots)");
            return null;
        }
        if (!roots.contains(path)) {
            reader.problem(line, s.path("path"), "'" + text + "' is outside the data roots (it resolves to " + path
                    + ", or links there); allowed: a CSV file under " + roots + " (chorus.data.roots)");
            return null;
        }
        if (!Files.isRegularFile(path)) {
            reader.problem(line, s.path("path"), "file not found: " + path
                    + "; allowed: a CSV file, relative to " + baseDir.toAbsolutePath().normalize());
            return null;
        }
        return path;
    }

    /**
     * Loads a new study's data set as its trials will, and records why it cannot be loaded: one problem on
     * the line of the source ({@code dataset.csv}) with the loader's message.
     */
    static void load(SpecReader reader, Section dataset, StudySpec spec, DataRoots roots) {
        String kind = KINDS.stream().filter(dataset::has).findFirst().orElseThrow();
        try {
            Datasets.load(spec.dataset(), spec.tasks(), spec.seed(), roots);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            reader.problem(dataset.line(kind), dataset.path(kind), e.getMessage());
        }
    }

    /** A list of distinct column names; empty when absent. */
    private static List<String> columns(SpecReader reader, Section s, String key, boolean features) {
        List<Node> items = s.list(key, "column names");
        if (items == null) {
            return List.of();
        }
        if (items.isEmpty()) {
            reader.problem(s.line(key), s.path(key), "needs at least one column; allowed: column names, or leave out"
                    + (features ? " for every non-task column" : ""));
        }
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < items.size(); i++) {
            String itemPath = s.path(key) + "[" + i + "]";
            String column = reader.text(items.get(i), itemPath, "a column name");
            if (column != null && !seen.add(column)) {
                reader.problem(SpecReader.line(items.get(i)), itemPath, "duplicate column '" + column
                        + "'; allowed: each column once");
            }
        }
        return List.copyOf(seen);
    }
}

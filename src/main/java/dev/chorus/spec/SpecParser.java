package dev.chorus.spec;


import static dev.chorus.spec.SpecReader.keys;

import dev.chorus.mtl.Architecture;
import dev.chorus.mtl.Metric;
import dev.chorus.mtl.Task;
import dev.chorus.mtl.TaskType;
import dev.chorus.mtl.TrainSettings;
import dev.chorus.mtl.Weighting;
import dev.chorus.mtl.data.DataRoots;
import dev.chorus.mtl.data.DatasetSpec;
import dev.chorus.mtl.data.ImageSpec;
import dev.chorus.search.SearchSpace.IntRange;
import dev.chorus.search.SearchSpace.RealRange;
import dev.chorus.search.SearchSpace;
import dev.chorus.spec.SpecException.Problem;
import dev.chorus.spec.SpecReader.Bounds;
import dev.chorus.spec.SpecReader.Section;
import dev.chorus.spec.StudySpec.Budget;
import dev.chorus.spec.StudySpec.SamplerKind;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Reads a study's search-space file (YAML) into a validated {@link StudySpec}.
 *
 * <p>Every problem in the file is collected before anything is thrown, so a user fixes them all in one
 * pass: {@link SpecException#getMessage()} has one line per problem,
 * {@code line N: field.path: what is wrong; allowed: values or range}, where the path is dotted with list
 * indices ({@code search.epochs.max}, {@code tasks[2].metric}). Unknown keys, duplicated keys, values of
 * the wrong type and malformed YAML are all problems.
 *
 * <p>The format, every key with what it accepts and its default, and the rules between keys, is documented
 * once, in {@code docs/search-spaces.md}; {@code search-spaces/demo.yaml} is a commented example to copy. A
 * change to the keys, bounds or defaults here (or in {@link SpecDatasets}) belongs in that page too.
 */
public final class SpecParser {

    static final Pattern NAME = Pattern.compile("[a-z0-9_-]{1,64}");
    static final int MIN_TASKS = 2;
    static final int MAX_TASKS = 16;
    static final int MAX_TASK_NAME = 200;
    static final int MAX_TRIALS = 1_000_000;

    static final int DEFAULT_POPULATION = 8;
    static final RealRange DEFAULT_WEIGHTS = new RealRange(0.2, 5, true);
    static final List<Weighting> DEFAULT_WEIGHTINGS = List.of(Weighting.EQUAL, Weighting.FIXED);
    static final List<Integer> DEFAULT_TRUNK_WIDTHS = List.of(32, 64);
    static final IntRange DEFAULT_TRUNK_DEPTH = new IntRange(1, 2);
    static final RealRange DEFAULT_LEARNING_RATE = new RealRange(0.001, 0.01, true);
    static final IntRange DEFAULT_EPOCHS = new IntRange(10, 20);
    static final List<Integer> DEFAULT_BATCH_SIZES = List.of(64);
    static final List<Architecture> DEFAULT_ARCHITECTURES = List.of(Architecture.HARD);
    static final IntRange DEFAULT_HEAD_DEPTH = new IntRange(0, 0);
    static final IntRange DEFAULT_EXPERTS = new IntRange(2, 4);
    static final Duration DEFAULT_MAX_WALL_CLOCK = Duration.ofMinutes(1440);

    private static final Set<String> TOP = keys("name", "description", "seed", "dataset", "tasks", "objectives",
            "search", "baseline", "budget", "constraints", "evaluation");
    private static final Set<String> EVALUATION = keys("repeats", "folds", "stability", "confirm", "tuned-twins");
    private static final String FOLDS = "auto, off, " + SpecReader.range(2, StudySpec.Evaluation.MAX_REPEATS);
    private static final String CONFIRM = "off, " + SpecReader.range(1, StudySpec.Evaluation.MAX_REPEATS)
            + " (at least evaluation.repeats)";
    private static final Set<String> CONSTRAINTS = keys("max-task-loss", "max-parameters");
    private static final Set<String> TASK = keys("name", "type", "metric");
    private static final Set<String> OBJECTIVES = keys("models");
    private static final Set<String> SEARCH = keys("sampler", "population", "max-groups", "weights", "weighting",
            "trunk-width", "trunk-depth", "learning-rate", "epochs", "batch-size", "architecture", "head-depth",
            "experts", "schedule", "concurrency", "trial-timeout-minutes", "pruner",
            "warm-start", "affinity-epochs");
    private static final Set<String> BASELINE = keys("trunk-width", "trunk-depth", "learning-rate", "epochs",
            "batch-size");
    private static final Set<String> BUDGET = keys("max-trials", "max-minutes", "max-worker-hours");
    private static final Set<String> INT_RANGE = keys("min", "max");
    private static final Set<String> REAL_RANGE = keys("min", "max", "log");
    private static final Bounds LEARNING_RATE = new Bounds(0, true, 1, false);
    private static final String TYPES = ids(TaskType.values(), TaskType::id);
    private static final String WEIGHTINGS = ids(Weighting.values(), Weighting::id);
    private static final String ARCHITECTURES = ids(Architecture.values(), Architecture::id);
    private static final String SCHEDULES = "generational, steady-state";
    private static final String PRUNERS = "none, median, asha, pareto";
    private static final String SAMPLERS = ids(SamplerKind.values(), k -> k.name().toLowerCase(Locale.ROOT));

    private SpecParser() {
    }

    /**
     * Parses and validates a search-space file accepted before (a stored study's, a worker's copy): data
     * files are looked for but neither confined nor loaded.
     *
     * @param yamlText the file's text
     * @param baseDir  the folder a CSV data set's {@code path} is relative to (normally the file's folder)
     * @return the study it defines
     * @throws SpecException listing every problem found, one per line
     */
    public static StudySpec parse(String yamlText, Path baseDir) {
        return parse(yamlText, baseDir, DataRoots.ANY, false);
    }

    /**
     * Parses a file submitted for a new study: as {@link #parse(String, Path)}, and its data files must lie
     * inside {@code roots} and load as the study's trials would load them, so a file that cannot run is
     * refused now rather than failing the study later. A data file that does not load is one problem on the
     * line of its source ({@code dataset.csv}), with the loader's message: file, line, column and what to
     * change.
     *
     * @param roots the folders data files may be read from ({@code chorus.data.roots})
     * @throws SpecException listing every problem found, one per line
     */
    public static StudySpec parseNew(String yamlText, Path baseDir, DataRoots roots) {
        return parse(yamlText, baseDir, Objects.requireNonNull(roots, "roots"), true);
    }

    private static StudySpec parse(String yamlText, Path baseDir, DataRoots roots, boolean load) {
        Objects.requireNonNull(yamlText, "yamlText");
        Objects.requireNonNull(baseDir, "baseDir");
        Node root;
        try {
            root = new Yaml().compose(new StringReader(yamlText));
        } catch (MarkedYAMLException e) {
            throw malformed(e, yamlText);
        } catch (YAMLException e) {
            throw new SpecException(List.of(new Problem(SpecReader.DOCUMENT, 1, "malformed YAML: " + e.getMessage())));
        }
        SpecReader reader = new SpecReader();
        if (root == null) {
            reader.problem(1, SpecReader.DOCUMENT, "the file is empty; allowed: a mapping with keys "
                    + String.join(", ", TOP));
            throw new SpecException(reader.problems());
        }
        Section top = reader.section(root, "", 1, TOP);
        StudySpec spec = study(reader, top, baseDir, roots);
        if (spec != null && load) {
            SpecDatasets.load(reader, top.section("dataset", SpecDatasets.KEYS), spec, roots);
        }
        if (!reader.problems().isEmpty()) {
            throw new SpecException(reader.problems());
        }
        return spec;
    }

    /** The one problem of a file that is not YAML: SnakeYAML's words, at the line it stopped on. */
    private static SpecException malformed(MarkedYAMLException e, String yamlText) {
        Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
        // an error at the end of the stream is on the line after the last newline: cite the last line
        int lastLine = (int) Math.max(1, yamlText.lines().count());
        int line = mark == null ? 1 : Math.min(mark.getLine() + 1, lastLine);
        String what = e.getContext() == null ? e.getProblem()
                : e.getProblem() == null ? e.getContext() : e.getContext() + ", " + e.getProblem();
        return new SpecException(List.of(new Problem(SpecReader.DOCUMENT, line, "malformed YAML: " + what)));
    }

    /** The study, or {@code null} when any problem was recorded. */
    private static StudySpec study(SpecReader reader, Section top, Path baseDir, DataRoots roots) {
        top.required("name", NAME.pattern());
        String name = top.text("name", NAME.pattern());
        if (name != null && !NAME.matcher(name).matches()) {
            reader.problem(top.line("name"), "name", "'" + name + "' is not a valid name; allowed: " + NAME.pattern());
        }
        String description = top.text("description", "free text");
        Long seed = top.whole("seed", 0, Long.MAX_VALUE);

        top.required("tasks", MIN_TASKS + ".." + MAX_TASKS + " tasks, each with name, type and optionally metric");
        Tasks tasks = tasks(reader, top);
        top.required("dataset", "exactly one of " + String.join(", ", SpecDatasets.KINDS));
        DatasetSpec dataset = SpecDatasets.read(reader, top.section("dataset", SpecDatasets.KEYS), tasks.names(),
                baseDir, roots);
        Boolean models = top.section("objectives", OBJECTIVES).bool("models");

        Section search = top.section("search", SEARCH);
        SamplerKind sampler = search.choice("sampler", SAMPLERS, SpecParser::sampler);
        Integer population = search.integer("population", 2, Integer.MAX_VALUE);
        int taskCount = tasks.count() > 0 ? tasks.count() : MAX_TASKS;
        Integer maxGroups = search.integer("max-groups", 1, taskCount);
        RealRange weights = realRange(search, "weights", Bounds.atLeast(0), DEFAULT_WEIGHTS);
        List<Weighting> weightings = choices(reader, search, "weighting", WEIGHTINGS, DEFAULT_WEIGHTINGS,
                (node, path) -> reader.choice(node, path, WEIGHTINGS, Weighting::parse));
        List<Integer> widths = positives(reader, search, "trunk-width", DEFAULT_TRUNK_WIDTHS);
        IntRange depth = intRange(search, "trunk-depth", 1, DEFAULT_TRUNK_DEPTH);
        RealRange learningRate = realRange(search, "learning-rate", LEARNING_RATE, DEFAULT_LEARNING_RATE);
        IntRange epochs = intRange(search, "epochs", 1, DEFAULT_EPOCHS);
        List<Integer> batchSizes = positives(reader, search, "batch-size", DEFAULT_BATCH_SIZES);
        List<Architecture> architectures = choices(reader, search, "architecture", ARCHITECTURES,
                DEFAULT_ARCHITECTURES, (node, path) -> reader.choice(node, path, ARCHITECTURES, Architecture::parse));
        IntRange headDepth = intRange(search, "head-depth", 0, DEFAULT_HEAD_DEPTH);
        IntRange experts = intRange(search, "experts", 1, DEFAULT_EXPERTS);
        String schedule = search.choice("schedule", SCHEDULES, text -> {
            if (!SCHEDULES.contains(text)) {
                throw new IllegalArgumentException("unknown schedule '" + text + "'; allowed: " + SCHEDULES);
            }
            return text;
        });
        Integer concurrency = search.integer("concurrency", 1, Integer.MAX_VALUE);
        Integer trialTimeout = search.integer("trial-timeout-minutes", 1, Integer.MAX_VALUE);
        StudySpec.PrunerKind pruner = search.choice("pruner", PRUNERS, text -> Arrays.stream(
                StudySpec.PrunerKind.values()).filter(k -> k.id().equals(text)).findFirst().orElseThrow(() ->
                        new IllegalArgumentException("unknown pruner '" + text + "'; allowed: " + PRUNERS)));
        String warmStart = search.choice("warm-start", "none, affinity", text -> {
            if (!text.equals("none") && !text.equals("affinity")) {
                throw new IllegalArgumentException("unknown warm start '" + text + "'; allowed: none, affinity");
            }
            return text;
        });
        Integer affinityEpochs = search.integer("affinity-epochs", 1, Integer.MAX_VALUE);

        Section base = top.section("baseline", BASELINE);
        Integer baseWidth = base.integer("trunk-width", 1, Integer.MAX_VALUE);
        Integer baseDepth = base.integer("trunk-depth", 1, Integer.MAX_VALUE);
        Double baseRate = base.real("learning-rate", LEARNING_RATE);
        Integer baseEpochs = base.integer("epochs", 1, Integer.MAX_VALUE);
        Integer baseBatch = base.integer("batch-size", 1, Integer.MAX_VALUE);

        Section evaluation = top.section("evaluation", EVALUATION);
        Integer repeats = evaluation.integer("repeats", 1, StudySpec.Evaluation.MAX_REPEATS);
        Integer folds = evaluation.choice("folds", FOLDS, SpecParser::folds);
        Boolean stability = evaluation.bool("stability");
        Boolean tunedTwins = evaluation.bool("tuned-twins");
        Integer confirm = evaluation.choice("confirm", CONFIRM, SpecParser::confirm);
        int runs = or(repeats, folds != null && folds > 0 ? folds : StudySpec.Evaluation.DEFAULT_REPEATS);
        if (confirm != null && confirm != StudySpec.Evaluation.NO_CONFIRM && confirm < runs) {
            reader.problem(evaluation.line("confirm"), evaluation.path("confirm"), "confirm is the runs in all of the "
                    + "answer's configurations, so it must be off or at least evaluation.repeats (" + runs + "), was "
                    + confirm);
            confirm = null;
        }
        if (folds != null && folds > 0 && repeats != null && !repeats.equals(folds)) {
            reader.problem(evaluation.line("folds"), evaluation.path("folds"), "with " + folds + " folds a configuration "
                    + "runs once per fold, so evaluation.repeats must be " + folds + " or absent (it is " + repeats + ")");
        }

        Section constraints = top.section("constraints", CONSTRAINTS);
        Double maxTaskLoss = constraints.real("max-task-loss", Bounds.atLeast(0));
        Integer maxParameters = constraints.integer("max-parameters", 1, Integer.MAX_VALUE);

        top.required("budget", "a mapping with max-trials and optionally max-minutes");
        Section budget = top.section("budget", BUDGET);
        budget.required("max-trials", SpecReader.range(1, MAX_TRIALS));
        Integer maxTrials = budget.integer("max-trials", 1, MAX_TRIALS);
        Integer maxMinutes = budget.integer("max-minutes", 1, Integer.MAX_VALUE);
        Double maxWorkerHours = budget.real("max-worker-hours", new Bounds(0, true, Double.MAX_VALUE, false));

        if (dataset instanceof ImageSpec && architectures != null
                && architectures.stream().anyMatch(a -> a != Architecture.HARD)) {
            reader.problem(search.has("architecture") ? search.line("architecture") : top.line("dataset"),
                    "search.architecture", "an image dataset trains hard sharing behind its convolutional trunk; "
                            + "allowed: [hard]");
        }
        if (!reader.problems().isEmpty()) {
            return null;
        }
        SearchSpace space = new SearchSpace(or(maxGroups, tasks.count()), weights, weightings, widths, depth,
                learningRate, epochs, batchSizes, architectures, headDepth, experts);
        TrainSettings baseline = new TrainSettings(or(baseWidth, widths.getFirst()), or(baseDepth, depth.max()),
                or(baseRate, Math.sqrt(learningRate.min() * learningRate.max())), or(baseEpochs, epochs.max()),
                or(baseBatch, batchSizes.getFirst()));
        return new StudySpec(name, description, or(seed, 0L), dataset, tasks.tasks(), space,
                or(sampler, SamplerKind.NSGA2), or(population, DEFAULT_POPULATION), baseline, or(models, false),
                new Budget(maxTrials, maxMinutes == null ? DEFAULT_MAX_WALL_CLOCK : Duration.ofMinutes(maxMinutes),
                        maxWorkerHours == null ? null : Duration.ofMillis(Math.round(maxWorkerHours * 3_600_000))),
                new StudySpec.Constraints(maxTaskLoss, maxParameters == null ? null : maxParameters.longValue()),
                new StudySpec.Schedule("steady-state".equals(schedule),
                        or(concurrency, or(population, DEFAULT_POPULATION)),
                        trialTimeout == null ? null : Duration.ofMinutes(trialTimeout), pruner),
                new StudySpec.WarmStart("affinity".equals(warmStart),
                        or(affinityEpochs, StudySpec.WarmStart.DEFAULT_EPOCHS)),
                evaluation(repeats, folds, or(stability, true), confirm, or(tunedTwins, false)));
    }

    /**
     * The tasks read, in file order.
     *
     * @param names the distinct names given, or {@code null} when {@code tasks} is not a list
     * @param count the number of entries, valid or not
     */
    private record Tasks(List<Task> tasks, Set<String> names, int count) {
    }

    private static Tasks tasks(SpecReader reader, Section top) {
        List<Node> items = top.list("tasks", "a list of tasks, each with name, type and optionally metric");
        if (items == null) {
            return new Tasks(List.of(), null, 0);
        }
        if (items.size() < MIN_TASKS || items.size() > MAX_TASKS) {
            reader.problem(top.line("tasks"), "tasks", items.size() + " tasks given; allowed: "
                    + MIN_TASKS + ".." + MAX_TASKS + " tasks");
        }
        Map<String, Integer> firstLine = new LinkedHashMap<>();
        List<Task> tasks = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Node item = items.get(i);
            Section t = reader.section(item, "tasks[" + i + "]", SpecReader.line(item), TASK);
            if (!t.present()) {
                continue;
            }
            t.required("name", "a unique task name");
            t.required("type", TYPES);
            String name = t.text("name", "a task name");
            if (name != null && name.isBlank()) {
                reader.problem(t.line("name"), t.path("name"), "a task name cannot be blank; allowed: a unique task name");
                name = null;
            } else if (name != null && (name.length() > MAX_TASK_NAME || name.chars().anyMatch(Character::isISOControl))) {
                reader.problem(t.line("name"), t.path("name"), "not a usable task name; allowed: 1.." + MAX_TASK_NAME
                        + " characters without control characters (line breaks, tabs, NUL)");
                name = null;
            } else if (name != null) {
                Integer first = firstLine.putIfAbsent(name, t.line("name"));
                if (first != null) {
                    reader.problem(t.line("name"), t.path("name"), "duplicate task name '" + name
                            + "' (first at line " + first + "); allowed: a unique task name");
                    name = null;
                }
            }
            TaskType type = t.choice("type", TYPES, TaskType::parse);
            Metric metric = null;
            if (type != null) {
                metric = t.has("metric")
                        ? t.choice("metric", Metric.allowedFor(type), text -> Metric.parse(text, type))
                        : Metric.defaultFor(type);
            }
            if (name != null && type != null && metric != null) {
                tasks.add(new Task(name, type, metric));
            }
        }
        return new Tasks(tasks, firstLine.keySet(), items.size());
    }

    /** A {@code {min, max}} range of whole numbers >= lowest; the default when absent, null when wrong. */
    private static IntRange intRange(Section parent, String key, int lowest, IntRange otherwise) {
        if (!parent.has(key)) {
            return otherwise;
        }
        Section r = parent.section(key, INT_RANGE);
        String allowed = SpecReader.range(lowest, Integer.MAX_VALUE);
        r.required("min", allowed);
        r.required("max", allowed);
        Integer min = r.integer("min", lowest, Integer.MAX_VALUE);
        Integer max = r.integer("max", lowest, Integer.MAX_VALUE);
        if (min == null || max == null) {
            return null;
        }
        if (min > max) {
            r.problem("min " + min + " is above max " + max + "; allowed: min <= max");
            return null;
        }
        return new IntRange(min, max);
    }

    /** A {@code {min, max, log}} range of reals within bounds; the default when absent, null when wrong. */
    private static RealRange realRange(Section parent, String key, Bounds bounds, RealRange otherwise) {
        if (!parent.has(key)) {
            return otherwise;
        }
        Section r = parent.section(key, REAL_RANGE);
        r.required("min", bounds.toString());
        r.required("max", bounds.toString());
        Double min = r.real("min", bounds);
        Double max = r.real("max", bounds);
        Boolean log = r.bool("log");
        boolean isLog = log == null ? otherwise.log() : log;
        if (min == null || max == null || (r.has("log") && log == null)) {
            return null;
        }
        if (min > max) {
            r.problem("min " + SpecReader.number(min) + " is above max " + SpecReader.number(max)
                    + "; allowed: min <= max");
            return null;
        }
        if (isLog && min <= 0) {
            r.problem("a log-scale range needs min > 0, was " + SpecReader.number(min)
                    + "; allowed: min > 0, or log: false");
            return null;
        }
        return new RealRange(min, max, isLog);
    }

    private static List<Integer> positives(SpecReader reader, Section parent, String key, List<Integer> otherwise) {
        return choices(reader, parent, key, "positive whole numbers, e.g. " + otherwise, otherwise,
                (node, path) -> reader.integer(node, path, 1, Integer.MAX_VALUE));
    }

    /** A non-empty list of distinct values; the default when absent, null when wrong. */
    private static <T> List<T> choices(SpecReader reader, Section parent, String key, String allowed,
                                       List<T> otherwise, BiFunction<Node, String, T> item) {
        if (!parent.has(key)) {
            return otherwise;
        }
        List<Node> items = parent.list(key, allowed);
        if (items == null) {
            return null;
        }
        if (items.isEmpty()) {
            reader.problem(parent.line(key), parent.path(key), "needs at least one value; allowed: " + allowed);
            return null;
        }
        List<T> values = new ArrayList<>();
        boolean valid = true;
        for (int i = 0; i < items.size(); i++) {
            String path = parent.path(key) + "[" + i + "]";
            T value = item.apply(items.get(i), path);
            if (value != null && values.contains(value)) {
                reader.problem(SpecReader.line(items.get(i)), path, "duplicate value '"
                        + ((ScalarNode) items.get(i)).getValue() + "'; allowed: each value once");
            }
            if (value == null || values.contains(value)) {
                valid = false;
            } else {
                values.add(value);
            }
        }
        return valid ? List.copyOf(values) : null;
    }

    private static SamplerKind sampler(String text) {
        return Arrays.stream(SamplerKind.values()).filter(k -> k.name().equalsIgnoreCase(text.trim())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown sampler '" + text + "'; allowed: " + SAMPLERS));
    }

    /** {@code evaluation.folds}: auto, off or a number of folds. */
    private static int folds(String text) {
        return switch (text) {
            case "auto" -> StudySpec.Evaluation.AUTO_FOLDS;
            case "off" -> StudySpec.Evaluation.NO_FOLDS;
            default -> {
                if (!text.matches("-?[0-9]{1,9}")) {
                    throw new IllegalArgumentException("unknown value '" + text + "'; allowed: " + FOLDS);
                }
                int k = Integer.parseInt(text);
                if (k < 2 || k > StudySpec.Evaluation.MAX_REPEATS) {
                    throw new IllegalArgumentException(k + " is out of range; allowed: " + FOLDS);
                }
                yield k;
            }
        };
    }

    /** {@code evaluation.confirm}: off or a number of runs. */
    private static int confirm(String text) {
        if (text.equals("off")) {
            return StudySpec.Evaluation.NO_CONFIRM;
        }
        if (!text.matches("[0-9]{1,9}") || Integer.parseInt(text) < 1
                || Integer.parseInt(text) > StudySpec.Evaluation.MAX_REPEATS) {
            throw new IllegalArgumentException("'" + text + "' is not allowed; allowed: " + CONFIRM);
        }
        return Integer.parseInt(text);
    }

    /** The evaluation read: explicit folds set the repeats when those are absent. */
    private static StudySpec.Evaluation evaluation(Integer repeats, Integer folds, boolean stability, Integer confirm,
                                                   boolean tunedTwins) {
        int k = or(folds, StudySpec.Evaluation.AUTO_FOLDS);
        int runs = or(repeats, k > 0 ? k : StudySpec.Evaluation.DEFAULT_REPEATS);
        return new StudySpec.Evaluation(runs, k, stability, or(confirm, StudySpec.Evaluation.defaultConfirm(runs)),
                tunedTwins);
    }

    private static <T> T or(T value, T otherwise) {
        return value != null ? value : otherwise;
    }

    private static <T> String ids(T[] values, Function<T, String> id) {
        return Arrays.stream(values).map(id).collect(Collectors.joining(", "));
    }
}

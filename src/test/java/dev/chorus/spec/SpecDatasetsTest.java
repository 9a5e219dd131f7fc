package dev.chorus.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.chorus.mtl.Task;
import dev.chorus.mtl.TaskType;
import dev.chorus.mtl.data.CsvSpec;
import dev.chorus.mtl.data.Dataset;
import dev.chorus.mtl.data.DatasetSpec;
import dev.chorus.mtl.data.Datasets;
import dev.chorus.mtl.data.Split;
import dev.chorus.mtl.data.SyntheticSpec;
import dev.chorus.mtl.sampling.BatchPlan;
import dev.chorus.mtl.sampling.SamplingSpec;
import dev.chorus.spec.SpecException.Problem;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/** The {@code dataset} keys beyond the sources: categorical columns, sampling; and the messy example. */
class SpecDatasetsTest {

    private static final Path SEARCH_SPACES = Path.of("search-spaces");

    @TempDir
    Path dir;

    private String csvStudy(String csvExtra) throws IOException {
        Files.writeString(dir.resolve("rows.csv"), "x,city,a,b\n1,paris,0,2.5\n2,rome,1,3\n");
        return """
                name: csv
                dataset:
                  csv:
                    path: rows.csv
                %s
                tasks: [{ name: a, type: binary }, { name: b, type: regression }]
                budget: { max-trials: 3 }
                """.formatted(csvExtra.indent(4).stripTrailing());
    }

    @Test
    void parsesTheMessyExampleAndLoadsIt() throws IOException {
        StudySpec spec = SpecParser.parse(Files.readString(SEARCH_SPACES.resolve("example-messy.yaml")), SEARCH_SPACES);
        CsvSpec csv = (CsvSpec) spec.dataset();
        assertThat(csv.categorical()).containsExactly("postcode");
        assertThat(csv.sampling()).isEqualTo(SamplingSpec.temperature(2.0));
        assertThat(spec.tasks()).extracting(Task::type).contains(TaskType.BINARY, TaskType.MULTICLASS, TaskType.REGRESSION);

        Dataset data = Datasets.load(csv, spec.tasks(), spec.seed());
        assertThat(data.rows()).isEqualTo(600);
        assertThat(data.featureNames()).contains("age", "age?missing", "income?missing", "visits?missing", "tenure",
                "plan=basic", "plan=enterprise", "plan=pro", "region=north", "postcode#h0", "postcode#h15");
        assertThat(data.featureNames()).doesNotContain("tenure?missing").noneMatch(n -> n.startsWith("postcode="));
        assertThat(data.contentHash()).isEqualTo(Datasets.load(csv, spec.tasks(), spec.seed() + 1).contentHash());

        Split split = Split.seeded(data.rows(), spec.seed());
        for (Task t : spec.tasks()) {
            float[] labels = data.labels(t.name());
            long labelledInTrain = Arrays.stream(split.train()).filter(i -> !Float.isNaN(labels[i])).count();
            long classesInTrain = Arrays.stream(split.train()).mapToObj(i -> labels[i]).filter(v -> !v.isNaN())
                    .distinct().count();
            assertThat(labelledInTrain).as(t.name()).isGreaterThanOrEqualTo(30);
            if (t.type() != TaskType.REGRESSION) {
                assertThat(classesInTrain).as(t.name()).isEqualTo(data.classCount(t.name()));
            }
        }
        assertThat(data.labelledCount("upgraded")).isBetween(60, 120); // ~15%
        assertThat(data.labelledCount("churned")).isBetween(420, 540); // ~80%

        BatchPlan plan = BatchPlan.of(csv.sampling(), split.train(), data.labels(), 32);
        assertThat(plan.epoch(0, new SplittableRandom(1))).hasNumberOfRows((split.train().length + 31) / 32);
    }

    @Test
    void readsCategoricalColumnsAndSampling() throws IOException {
        CsvSpec csv = (CsvSpec) SpecParser.parse(csvStudy("categorical: [x]\nsampling: proportional"), dir).dataset();
        assertThat(csv.categorical()).containsExactly("x");
        assertThat(csv.sampling()).isEqualTo(SamplingSpec.PROPORTIONAL);
        csv = (CsvSpec) SpecParser.parse(csvStudy("sampling: { temperature: 3 }"), dir).dataset();
        assertThat(csv.sampling()).isEqualTo(SamplingSpec.temperature(3));
        csv = (CsvSpec) SpecParser.parse(csvStudy("sampling: all"), dir).dataset();
        assertThat(csv.sampling()).isEqualTo(SamplingSpec.ALL);
        csv = (CsvSpec) SpecParser.parse(csvStudy(""), dir).dataset();
        assertThat(csv.sampling()).isEqualTo(SamplingSpec.ALL);
        assertThat(csv.categorical()).isEmpty();
    }

    @Test
    void reportsBadSamplingAndCategoricalValues() throws IOException {
        assertProblem(csvStudy("sampling: uniform"), 5, "dataset.csv.sampling",
                "unknown sampling 'uniform'; allowed: " + SpecDatasets.SAMPLINGS);
        assertProblem(csvStudy("sampling: temperature"), 5, "dataset.csv.sampling",
                "temperature sampling needs its temperature, as { temperature: 2.0 }; allowed: " + SpecDatasets.SAMPLINGS);
        assertProblem(csvStudy("sampling: { temperature: 0 }"), 5, "dataset.csv.sampling.temperature",
                "0 is out of range; allowed: > 0");
        assertProblem(csvStudy("sampling: { temperature: 2, warmup: 3 }"), 5, "dataset.csv.sampling.warmup",
                "unknown key 'warmup'; allowed: temperature");
        assertProblem(csvStudy("sampling: {}"), 5, "dataset.csv.sampling.temperature",
                "required but missing; allowed: a number > 0");
        assertProblem(csvStudy("categorical: [city, city]"), 5, "dataset.csv.categorical[1]",
                "duplicate column 'city'; allowed: each column once");
        assertProblem(csvStudy("categorical: []"), 5, "dataset.csv.categorical",
                "needs at least one column; allowed: column names, or leave out");
    }

    @Test
    void samplingDirectlyUnderDatasetOnceTheParserAllowsIt() throws IOException {
        Files.writeString(dir.resolve("rows.csv"), "x,a\n1,0\n2,1\n");
        String synthetic = """
                dataset:
                  sampling: { temperature: 2 }
                  synthetic: { rows: 100, features: 4, clusters: { c: [a, b] } }
                """;
        SyntheticSpec s = (SyntheticSpec) read(synthetic, new SpecReader());
        assertThat(s.sampling()).isEqualTo(SamplingSpec.temperature(2));
        assertThat(s.rows()).isEqualTo(100);
        CsvSpec c = (CsvSpec) read("dataset: { sampling: proportional, csv: { path: rows.csv } }", new SpecReader());
        assertThat(c.sampling()).isEqualTo(SamplingSpec.PROPORTIONAL);

        SpecReader reader = new SpecReader();
        assertThat(read("dataset: { sampling: all, csv: { path: rows.csv, sampling: all } }", reader)).isNull();
        assertThat(reader.problems()).extracting(Problem::message)
                .containsExactly("sampling is also given under dataset.csv; allowed: one sampling, in either place");
    }

    private DatasetSpec read(String yaml, SpecReader reader) {
        SpecReader.Section top = reader.section(new Yaml().compose(new StringReader(yaml)), "", 1, null);
        return SpecDatasets.read(reader, top.section("dataset", SpecDatasets.KEYS), Set.of("a", "b"), dir,
                dev.chorus.mtl.data.DataRoots.ANY);
    }

    @Test
    void theCsvExampleStillLoads() throws IOException {
        StudySpec spec = SpecParser.parse(Files.readString(SEARCH_SPACES.resolve("example-csv.yaml")), SEARCH_SPACES);
        Dataset data = Datasets.load(spec.dataset(), spec.tasks(), spec.seed());
        assertThat(data.featureNames()).containsExactly("age", "income", "spend", "visits", "tenure", "web_share");
        assertThat(spec.dataset().sampling()).isEqualTo(SamplingSpec.ALL);
        assertThat(IntStream.range(0, data.rows()).count()).isEqualTo(300);
    }

    private void assertProblem(String yaml, int line, String path, String message) {
        SpecException e = catchThrowableOfType(SpecException.class, () -> SpecParser.parse(yaml, dir));
        assertThat(e).as("no problem reported for:\n" + yaml).isNotNull();
        assertThat(e.problems()).contains(new Problem(path, line, message));
    }
}

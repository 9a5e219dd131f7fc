package dev.chorus.mtl.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chorus.mtl.Metric;
import dev.chorus.mtl.Task;
import dev.chorus.mtl.TaskType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvLoaderTest {

    private static final Task CHURN = new Task("churn", TaskType.BINARY, Metric.AUC);
    private static final Task SPEND = new Task("spend", TaskType.REGRESSION, Metric.RMSE);
    private static final Task TIER = new Task("tier", TaskType.MULTICLASS, Metric.ACCURACY);

    @TempDir
    Path dir;

    private Dataset load(String text, List<String> features, Task... tasks) throws IOException {
        Path file = dir.resolve("users.csv");
        Files.writeString(file, text);
        return Datasets.load(new CsvSpec(file, features), List.of(tasks), 0);
    }

    private static final String GOOD = """
            age,income,churn,spend,tier
            30,1000,yes,12.5,gold
            40,,no,,silver
            "50",3000,,7,bronze
            60,4000,yes,3,gold
            """;

    @Test
    void readsFeaturesLabelsAndMissingCells() throws IOException {
        Dataset data = load(GOOD, List.of(), CHURN, SPEND, TIER);
        assertThat(data.name()).isEqualTo("users.csv");
        assertThat(data.featureNames()).containsExactly("age", "income", "income?missing");
        assertThat(data.rows()).isEqualTo(4);
        assertThat(data.feature(2, 0)).isEqualTo(50f);
        assertThat(data.feature(1, 1)).isNaN(); // imputed by the trainer
        assertThat(data.feature(1, 2)).isEqualTo(1f);
        assertThat(data.feature(0, 2)).isZero();
        assertThat(data.labels("churn")).containsExactly(1, 0, Float.NaN, 1); // no < yes
        assertThat(data.labels("spend")).containsExactly(12.5f, Float.NaN, 7, 3);
        assertThat(data.labels("tier")).containsExactly(1, 2, 0, 1); // bronze < gold < silver
        assertThat(data.classCount("churn")).isEqualTo(2);
        assertThat(data.classCount("tier")).isEqualTo(3);
    }

    @Test
    void featuresCanBeChosenAndQuotesHoldCommas() throws IOException {
        Dataset data = load("id,\"note, free\",x,churn\n1,\"a, \"\"b\"\"\",0.5,1\n2,c,1.5,0\n", List.of("x"), CHURN);
        assertThat(data.featureNames()).containsExactly("x");
        assertThat(data.features()).containsExactly(0.5f, 1.5f);
        Files.writeString(dir.resolve("q.csv"), "1,\"a, \"\"b\"\"\",2\n");
        assertThat(CsvLoader.read(dir.resolve("q.csv"), ',', "q.csv").getFirst().fields())
                .containsExactly("1", "a, \"b\"", "2");
    }

    @Test
    void aQuotedFieldMaySpanLinesAndLinesAreCountedFromTheFile() throws IOException {
        String text = "x,comment,churn\n1,\"first line\nsecond line\",yes\n2,plain,no\n3,\"x\",\n4,y\n";
        Path file = dir.resolve("c.csv");
        Files.writeString(file, text);
        assertThatThrownBy(() -> Datasets.load(new CsvSpec(file, List.of("x")), List.of(CHURN), 0))
                .hasMessageContaining("c.csv line 6: 2 fields, but the header has 3 columns");
        Files.writeString(file, text.replace("\n4,y\n", "\n"));
        Dataset data = Datasets.load(new CsvSpec(file, List.of("x")), List.of(CHURN), 0);
        assertThat(data.rows()).isEqualTo(3);
        assertThat(data.labels("churn")).containsExactly(1, 0, Float.NaN);
    }

    @Test
    void semicolonsTabsAndDecimalCommasAsSpreadsheetsExportThem() throws IOException {
        Path semicolons = dir.resolve("eu.csv");
        Files.writeString(semicolons, "\uFEFFincome;city;spend\n1234,5;\"Köln; Mitte\";12,5\n-0,25;Bonn;7\n3e2;Bonn;1,5e1\n");
        Dataset eu = Datasets.load(new CsvSpec(semicolons, List.of("income"), List.of(), null, ';', true),
                List.of(SPEND), 0);
        assertThat(eu.features()).containsExactly(1234.5f, -0.25f, 300f);
        assertThat(eu.labels("spend")).containsExactly(12.5f, 7f, 15f);
        assertThatThrownBy(() -> Datasets.load(new CsvSpec(semicolons, List.of()), List.of(SPEND), 0))
                .as("read with commas, the header is one column: the message suggests the delimiter")
                .hasMessageContaining("set dataset.csv.delimiter: ';'");
        Path tabs = dir.resolve("t.tsv");
        Files.writeString(tabs, "x\tspend\n0.5\t2\n1.5\t3\n");
        assertThat(Datasets.load(new CsvSpec(tabs, List.of(), List.of(), null, '\t', false), List.of(SPEND), 0)
                .features()).containsExactly(0.5f, 1.5f);
        assertThat(CsvLoader.decimalPoint("1,5")).isEqualTo("1.5");
        assertThat(CsvLoader.decimalPoint("1,234,5")).as("no thousands separators").isEqualTo("1,234,5");
        assertThat(CsvLoader.decimalPoint("Bonn, Mitte")).isEqualTo("Bonn, Mitte");
    }

    @Test
    void numericClassesSortByValue() throws IOException {
        Dataset data = load("x,tier\n1,10\n2,9\n3,10.0\n4,-1\n", List.of(), TIER);
        assertThat(data.labels("tier")).containsExactly(2, 1, 2, 0);
    }

    @Test
    void unknownTaskColumnNamesItAndTheHeader() {
        assertThatThrownBy(() -> load("x,y\n1,0\n", List.of(), CHURN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no column 'churn'").hasMessageContaining("x, y");
    }

    @Test
    void unknownFeatureColumn() {
        assertThatThrownBy(() -> load("x,churn\n1,0\n2,1\n", List.of("age"), CHURN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("feature column 'age'");
    }

    @Test
    void textInAFeatureColumnMakesItCategorical() throws IOException {
        Dataset data = load("x,churn\n1,0\nabc,1\n", List.of(), CHURN);
        assertThat(data.featureNames()).containsExactly("x=1", "x=abc");
    }

    @Test
    void unknownOrMisplacedCategoricalColumn() {
        Path file = dir.resolve("users.csv");
        String text = "x,plan,churn\n1,a,0\n2,b,1\n";
        assertThatThrownBy(() -> loadSpec(text, new CsvSpec(file, List.of(), List.of("city"), null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("categorical column 'city' is not in the header").hasMessageContaining("x, plan, churn");
        assertThatThrownBy(() -> loadSpec(text, new CsvSpec(file, List.of("x"), List.of("plan"), null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("categorical column 'plan' is not among the features");
        assertThatThrownBy(() -> loadSpec(text, new CsvSpec(file, List.of(), List.of("churn"), null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("column 'churn' is both a task and a categorical column");
    }

    @Test
    void missingLabelTokensAreUnlabelled() throws IOException {
        Dataset data = load("x,churn,spend\n1,yes,NA\n2,NA,3\n3,no,null\n", List.of(), CHURN, SPEND);
        assertThat(data.labels("churn")).containsExactly(1, Float.NaN, 0);
        assertThat(data.labels("spend")).containsExactly(Float.NaN, 3, Float.NaN);
    }

    @Test
    void noRowLeftWhenEveryRowLacksEveryLabel() {
        assertThatThrownBy(() -> load("x,churn,spend\n1,,\n2,NA,\n", List.of(), CHURN, SPEND))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no rows left").hasMessageContaining("churn, spend");
    }

    private Dataset loadSpec(String text, CsvSpec spec) throws IOException {
        Files.writeString(spec.path(), text);
        return Datasets.load(spec, List.of(CHURN), 0);
    }

    @Test
    void nonNumericRegressionTarget() {
        assertThatThrownBy(() -> load("x,spend\n1,2.5\n2,lots\n", List.of(), SPEND))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 3").hasMessageContaining("column 'spend'").hasMessageContaining("regression");
    }

    @Test
    void classificationNeedsTwoClasses() {
        assertThatThrownBy(() -> load("x,churn\n1,yes\n2,\n3,yes\n", List.of(), CHURN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("task 'churn'").hasMessageContaining("at least 2");
    }

    @Test
    void binaryWithThreeClasses() {
        assertThatThrownBy(() -> load("x,churn\n1,a\n2,b\n3,c\n", List.of(), CHURN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("declare it multiclass");
    }

    @Test
    void noRows() {
        assertThatThrownBy(() -> load("x,churn\n\n", List.of(), CHURN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no data rows");
        assertThatThrownBy(() -> load("", List.of(), CHURN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
    }

    @Test
    void raggedLine() {
        assertThatThrownBy(() -> load("x,churn\n1,0\n2\n", List.of(), CHURN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 3");
    }

    @Test
    void missingFile() {
        assertThatThrownBy(() -> Datasets.load(new CsvSpec(dir.resolve("none.csv"), List.of()), List.of(CHURN), 0))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("none.csv");
    }
}

package dev.chorus.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chorus.TestStudies;
import dev.chorus.mtl.data.ImageSpec;
import dev.chorus.mtl.data.OverlayDigits;
import dev.chorus.spec.SpecParser;
import dev.chorus.spec.StudySpec;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A study over images listed in a CSV: parsed, trained with the LeNet-like trunk, compared with baselines. */
@QuarkusTest
class ImageStudyTest {

    private static String yaml(String extraSearch) {
        return """
                name: overlay
                seed: 3
                dataset:
                  images: { path: labels.csv, height: 36, width: 36, trunk: lenet }
                tasks:
                  - { name: left, type: multiclass }
                  - { name: right, type: multiclass }
                search:
                  population: 2
                  trunk-width: [32]
                  trunk-depth: { min: 1, max: 1 }
                  epochs: { min: 2, max: 3 }
                  batch-size: [32]
                %s
                baseline: { epochs: 12, learning-rate: 0.003 }
                evaluation: { confirm: off }
                budget: { max-trials: 2 }
                """.formatted(extraSearch);
    }

    @Test
    void imageKeysAreParsedAndOnlyHardSharingIsAllowed() throws Exception {
        Path dir = Files.createTempDirectory("overlay-spec");
        OverlayDigits.write(dir, 20, 1);
        StudySpec spec = SpecParser.parse(yaml(""), dir);
        ImageSpec images = (ImageSpec) spec.dataset();
        assertThat(images.imageColumn()).isEqualTo("image");
        assertThat(images.channels()).isEqualTo(1);
        assertThat(images.trunk()).isEqualTo(ImageSpec.ConvTrunk.LENET);
        assertThatThrownBy(() -> SpecParser.parse(yaml("  architecture: [hard, mmoe]"), dir))
                .hasMessageContaining("search.architecture").hasMessageContaining("allowed: [hard]");
        assertThatThrownBy(() -> SpecParser.parse(yaml("").replace("trunk: lenet", "trunk: vgg"), dir))
                .hasMessageContaining("dataset.images.trunk").hasMessageContaining("lenet, resnet");
    }

    @Test
    void anOverlayDigitsStudyRunsToCompletion() throws Exception {
        Path dir = Files.createTempDirectory("overlay-study");
        OverlayDigits.write(dir, 1000, 2);
        long id = TestStudies.post(yaml("").replace("path: labels.csv", "path: " + dir.resolve("labels.csv")), true)
                .then().statusCode(201).extract().jsonPath().getLong("id");
        JsonPath study = TestStudies.awaitFinished(id, Duration.ofMinutes(5));
        assertThat(study.getString("state")).as("error: %s", study.getString("error")).isEqualTo("completed");
        List<Map<String, Object>> trials = io.restassured.RestAssured.given().get("/api/studies/{id}/trials", id)
                .jsonPath().getList("items");
        assertThat(trials).hasSize(2).allSatisfy(t -> assertThat(t.get("state")).isEqualTo("complete"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> results = (List<Map<String, Object>>) trials.getFirst().get("results");
        assertThat(results).extracting(r -> ((Number) ((Map<?, ?>) r.get("test")).get("baseline")).doubleValue())
                .as("the baselines learned something: chance is 0.1").allSatisfy(v -> assertThat(v).isGreaterThan(0.2));
    }
}

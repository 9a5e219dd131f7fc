package dev.chorus.study;

import dev.chorus.mtl.Task;
import dev.chorus.mtl.data.ImageSpec;
import dev.chorus.mtl.train.ConvInput;
import dev.chorus.mtl.train.ModelSpec;
import dev.chorus.spec.StudySpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The keys single-task baselines are stored under. The coordinator computes them for each assignment
 * and hands them to the worker ({@code TaskInfo.baselineHash}); a result or baseline under any other
 * key is refused, so a worker can neither cite a baseline of another task, study or data nor plant one
 * there. A key covers the study, the data's content hash, the run's rows, the task, the baseline's
 * training settings and the seed: equal keys mean the same baseline, trained once per study and
 * replicate and shared by the trials of that replicate.
 *
 * <p>Pure functions; the Java worker computes the same keys from the same inputs.
 */
public final class BaselineKeys {

    /** Changes when Chorus's own training of a baseline changes, so old values are not reused. */
    private static final String TRAINER = "trainer-v4";

    private BaselineKeys() {
    }

    /**
     * Each task's baseline key, in study order (task name to key), for a run of study {@code studyId}
     * on {@code rows} (the rows of the run's replicate, {@link StudyRows#replicate}) with {@code seed}.
     */
    public static Map<String, String> of(long studyId, StudySpec spec, StudyRows rows, long seed) {
        return of(studyId, spec, rows, rows.dataset().contentHash(), seed);
    }

    /** As {@link #of(long, StudySpec, StudyRows, long)}, with the data's content hash already computed. */
    public static Map<String, String> of(long studyId, StudySpec spec, StudyRows rows, String dataHash, long seed) {
        String settings = model(spec, ModelSpec.plain(spec.baseline())).toString();
        Map<String, String> keys = new LinkedHashMap<>();
        for (Task task : spec.tasks()) {
            keys.put(task.name(), key(studyId, rows, dataHash, task, settings, seed));
        }
        return keys;
    }

    /** {@code model} with the study's sampling and, for images, its convolutional trunk. */
    public static ModelSpec model(StudySpec spec, ModelSpec model) {
        ModelSpec sampled = model.withSampling(spec.dataset().sampling());
        return spec.dataset() instanceof ImageSpec images ? sampled.withConv(ConvInput.of(images)) : sampled;
    }

    private static String key(long studyId, StudyRows rows, String dataHash, Task task, String settings, long seed) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            String key = String.join("\n", "study " + studyId, dataHash, rows.split().toString(),
                    Integer.toString(rows.split().hashCode()), task.toString(), settings, Long.toString(seed), TRAINER);
            return HexFormat.of().formatHex(sha.digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}

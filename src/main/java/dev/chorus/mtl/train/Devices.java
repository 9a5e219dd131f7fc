package dev.chorus.mtl.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Locale;

/**
 * Which device trains: the system property {@code chorus.device}, else the environment variable
 * {@code CHORUS_DEVICE}, else {@code auto}. {@code auto} takes the first GPU when PyTorch sees one and
 * the CPU otherwise; {@code cpu} always the CPU; {@code gpu} the first GPU or an error; {@code gpu:N}
 * (or {@code cuda:N}) GPU number N, which is how worker processes sharing a machine are spread
 * over its GPUs.
 *
 * <p>PyTorch sees a GPU only when the CUDA flavour of its native library is on the class path: the
 * runtime dependency {@code ai.djl.pytorch:pytorch-native-cu128} (classifier {@code linux-x86_64}) in
 * place of {@code pytorch-native-cpu}, which the build's {@code cuda} profile ({@code -Pcuda}) puts there. Results on a GPU are not bit-identical from run to run (CUDA's
 * atomic reductions); on the CPU they are.
 */
final class Devices {

    static final String PROPERTY = "chorus.device";
    static final String ENV = "CHORUS_DEVICE";

    private Devices() {
    }

    /** The device the configuration names, resolved against the engine. */
    static Device configured(Engine engine) {
        String value = System.getProperty(PROPERTY);
        if (value == null || value.isBlank()) {
            value = System.getenv(ENV);
        }
        return resolve(value == null || value.isBlank() ? "auto" : value, engine.getGpuCount());
    }

    /**
     * @param value    {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N} / {@code cuda:N} (any case)
     * @param gpuCount GPUs the engine sees
     * @throws IllegalArgumentException for another value
     * @throws IllegalStateException    for {@code gpu} when no GPU is visible
     */
    static Device resolve(String value, int gpuCount) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "auto" -> gpuCount > 0 ? Device.gpu() : Device.cpu();
            case "cpu" -> Device.cpu();
            case "gpu" -> {
                if (gpuCount == 0) {
                    throw new IllegalStateException(PROPERTY + "=gpu but PyTorch sees no GPU: put"
                            + " ai.djl.pytorch:pytorch-native-cuXXX (matching the machine's CUDA) on the class"
                            + " path instead of pytorch-native-cpu, or use " + PROPERTY + "=auto");
                }
                yield Device.gpu();
            }
            default -> {
                String v = value.trim().toLowerCase(Locale.ROOT);
                int colon = v.indexOf(':');
                String kind = colon < 0 ? v : v.substring(0, colon);
                if (colon < 0 || !(kind.equals("gpu") || kind.equals("cuda"))) {
                    throw new IllegalArgumentException(PROPERTY + " must be auto, cpu, gpu or gpu:N (cuda:N), was '"
                            + value + "'");
                }
                int index;
                try {
                    index = Integer.parseInt(v.substring(colon + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(PROPERTY + "=" + value + ": N in gpu:N must be a GPU index");
                }
                if (index < 0 || index >= gpuCount) {
                    throw new IllegalStateException(PROPERTY + "=" + value + " but PyTorch sees " + gpuCount
                            + " GPU(s)" + (gpuCount == 0 ? "" : ", numbered 0 to " + (gpuCount - 1)));
                }
                yield Device.gpu(index);
            }
        };
    }
}

package dev.chorus.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Small helpers shared by the benchmarks: mean ± standard error, and writing a result file. */
final class Stats {

    private Stats() {
    }

    /**
     * Clusters a = {a1, a2, a3} and b = {b1, b2}, in that order: the generator draws the clusters in
     * the map's order, so a {@code Map.of} (whose order changes from JVM to JVM) would change the data.
     */
    static java.util.Map<String, List<String>> clusters() {
        java.util.Map<String, List<String>> clusters = new java.util.LinkedHashMap<>();
        clusters.put("a", List.of("a1", "a2", "a3"));
        clusters.put("b", List.of("b1", "b2"));
        return clusters;
    }

    static String meanSe(List<Double> values) {
        double mean = values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        double var = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum() / Math.max(1, values.size() - 1);
        return String.format(Locale.ROOT, "%+.2f ± %.2f", mean, Math.sqrt(var / values.size()));
    }

    /** Writes {@code bench/results/name} (the project root is the working directory of Maven's tests). */
    static void write(String name, String markdown) throws IOException {
        Path out = Path.of("bench", "results", name);
        Files.createDirectories(out.getParent());
        Files.writeString(out, markdown);
        System.out.println(markdown);
    }

    /** The CPU model, core count and Java version, for a result's header. */
    static String machine() {
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(cpu);
        } catch (Exception ignored) {
            // not Linux
        }
        return String.format(Locale.ROOT, "%s (%d cores), Java %s", cpu, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
    }

    /** The 1-minute load average, as {@code cut -d' ' -f1 /proc/loadavg} prints it. */
    static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (Exception e) {
            return "unknown";
        }
    }
}

package dev.chorus.dispatch;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The command line that starts a {@code worker} process of this same artifact: the running JVM's
 * {@code java}, the packaged runner jar (or, in tests, this class path), and the worker's options.
 *
 * @param coordinator  URL the worker speaks the protocol to
 * @param name         the worker's name, shown on the trials it holds
 * @param device       {@code cpu}, {@code gpu:N}, ... ({@code chorus.device} of the worker)
 * @param threads      PyTorch intra-op threads of the worker; 0 leaves PyTorch's default
 * @param jvmOptions   extra JVM options, space-separated
 * @param extraArgs    further {@code worker} arguments, e.g. {@code --assignments ...}
 */
record WorkerProcess(String coordinator, String name, String device, int threads, String jvmOptions,
                     List<String> extraArgs) {

    WorkerProcess {
        extraArgs = List.copyOf(extraArgs);
    }

    List<String> command() {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.add("--enable-native-access=ALL-UNNAMED");
        if (jvmOptions != null && !jvmOptions.isBlank()) {
            cmd.addAll(Arrays.asList(jvmOptions.trim().split("\\s+")));
        }
        if (device != null) {
            cmd.add("-Dchorus.device=" + device);
        }
        if (threads > 0) {
            cmd.add("-Dai.djl.pytorch.num_threads=" + threads);
            cmd.add("-Dai.djl.pytorch.num_interop_threads=1");
        }
        String classPath = System.getProperty("java.class.path");
        if (classPath.endsWith("quarkus-run.jar") && !classPath.contains(File.pathSeparator)) {
            cmd.add("-jar");
            cmd.add(classPath);
        } else {
            cmd.add("-cp");
            cmd.add(classPath);
            cmd.add("dev.chorus.Chorus");
        }
        cmd.addAll(List.of("worker", "--coordinator", coordinator, "--name", name,
                "--parent-pid", Long.toString(ProcessHandle.current().pid())));
        cmd.addAll(extraArgs);
        return cmd;
    }
}

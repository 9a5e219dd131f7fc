package dev.chorus;

import dev.chorus.mtl.data.OverlayDigits;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code chorus data overlay [--rows N] [--seed S] [--out DIR]}: writes a dataset the repository can
 * generate to disk, as a study reads any image dataset: the overlay digits of {@link OverlayDigits}
 * ({@code images/000000.png}, ..., and {@code labels.csv} with the columns {@code image,left,right}).
 * It needs neither the server nor the database.
 *
 * <p>Arguments are checked before anything is written; a problem prints what to change and the usage
 * and returns 2. A folder that already holds a {@code labels.csv} is refused (a study's data hash would
 * change under it).
 */
public final class DataCommand {

    static final int DEFAULT_ROWS = 1200;
    static final long DEFAULT_SEED = 1;
    static final String DEFAULT_OUT = "datasets/overlay";

    static final String USAGE = """
            usage: java -jar quarkus-run.jar data overlay [--rows N] [--seed S] [--out DIR]
              overlay  two printed digits overlaid on a 36x36 grayscale PNG per row; tasks left and right
                       (10 classes each), a MultiMNIST-like benchmark (bench/overlay/README.md)
              --rows   images to write, 1 to %d (the most a study loads; default %d)
              --seed   the generator's seed, a whole number (default %d); the same seed gives the same labels
              --out    the folder to write (default %s, under Chorus's default data root); it must not
                       hold a labels.csv yet""".formatted(OverlayDigits.MAX_ROWS, DEFAULT_ROWS, DEFAULT_SEED, DEFAULT_OUT);

    private DataCommand() {
    }

    /**
     * Runs the command with {@code args} (those after {@code data}); messages go to {@code out} and
     * problems to {@code err}. Returns 0 when written, 1 when writing failed, 2 for bad arguments.
     */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.isEmpty() || args.contains("--help") || args.contains("-h")) {
            (args.isEmpty() ? err : out).println(USAGE);
            return args.isEmpty() ? 2 : 0;
        }
        if (!args.getFirst().equals("overlay")) {
            return usage(err, "unknown dataset '" + args.getFirst() + "'; the one Chorus can generate is overlay");
        }
        int rows = DEFAULT_ROWS;
        long seed = DEFAULT_SEED;
        String folder = DEFAULT_OUT;
        for (int i = 1; i < args.size(); i += 2) {
            String option = args.get(i);
            if (!List.of("--rows", "--seed", "--out").contains(option)) {
                return usage(err, "unknown option '" + option + "'; the options are --rows, --seed and --out");
            }
            if (i + 1 >= args.size() || args.get(i + 1).isBlank()) {
                return usage(err, option + " needs a value");
            }
            String value = args.get(i + 1).strip();
            switch (option) {
                case "--rows" -> {
                    Long n = number(value);
                    if (n == null || n < 1 || n > OverlayDigits.MAX_ROWS) {
                        return usage(err, "--rows must be a whole number from 1 to " + OverlayDigits.MAX_ROWS
                                + ", was '" + value + "'");
                    }
                    rows = n.intValue();
                }
                case "--seed" -> {
                    Long n = number(value);
                    if (n == null) {
                        return usage(err, "--seed must be a whole number, was '" + value + "'");
                    }
                    seed = n;
                }
                default -> folder = value;
            }
        }
        Path dir;
        try {
            dir = Path.of(folder).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            return usage(err, "--out '" + folder + "' is not a path here: " + e.getReason());
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            return usage(err, "--out " + dir + " is a file; name a folder");
        }
        if (Files.exists(dir.resolve("labels.csv"))) {
            return usage(err, "--out " + dir + " already holds a labels.csv; delete the folder or choose another "
                    + "(a study made on it would find its data changed)");
        }
        long started = System.nanoTime();
        try {
            OverlayDigits.write(dir, rows, seed);
        } catch (UncheckedIOException e) {
            err.println("data: " + e.getMessage());
            return 1;
        }
        out.printf(Locale.ROOT, "data: wrote %d overlay-digit images (seed %d) and labels.csv to %s in %.1f s%n",
                rows, seed, dir, (System.nanoTime() - started) / 1e9);
        out.println("data: a study reads it with  dataset: { images: { path: " + Path.of(folder, "labels.csv")
                + ", height: 36, width: 36 } }  and tasks left and right (type multiclass)");
        return 0;
    }

    private static Long number(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static int usage(PrintStream err, String problem) {
        err.println("data: " + problem + "\n" + USAGE);
        return 2;
    }
}

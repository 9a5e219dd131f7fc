package dev.chorus;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code chorus report STUDY [--format json|csv|html|pdf] [--output FILE] [--coordinator URL]}: writes a
 * study's Pareto report, fetched from the running Chorus (the one that owns the database), to a file or
 * standard output.
 */
public final class ReportCommand {

    static final String USAGE = """
            usage: java -jar quarkus-run.jar report STUDY_ID [--format json|csv|html|pdf] [--output FILE]
                                                  [--coordinator URL]
              --format       report format (default html)
              --output       file to write (default chorus-study-<id>-report.<format>; - for standard output)
              --coordinator  the running Chorus (CHORUS_COORDINATOR_URL; default http://localhost:8080)
            A viewer token in CHORUS_TOKEN is sent as Authorization: Bearer (not needed on localhost).""";

    private ReportCommand() {
    }

    public static int run(List<String> args, Map<String, String> env) {
        if (args.isEmpty() || args.contains("--help") || args.contains("-h")) {
            System.out.println(USAGE);
            return args.isEmpty() ? 2 : 0;
        }
        String study = args.getFirst();
        String format = "html";
        String output = null;
        String coordinator = env.getOrDefault("CHORUS_COORDINATOR_URL", "http://localhost:8080");
        for (int i = 1; i < args.size(); i += 2) {
            if (i + 1 >= args.size()) {
                return usage(args.get(i) + " needs a value");
            }
            switch (args.get(i)) {
                case "--format" -> format = args.get(i + 1);
                case "--output" -> output = args.get(i + 1);
                case "--coordinator" -> coordinator = args.get(i + 1);
                default -> {
                    return usage("unknown option " + args.get(i));
                }
            }
        }
        if (!study.matches("\\d+")) {
            return usage("STUDY_ID must be a number, was '" + study + "'");
        }
        if (!List.of("json", "csv", "html", "pdf").contains(format)) {
            return usage("--format must be json, csv, html or pdf, was '" + format + "'");
        }
        URI url = URI.create(coordinator.replaceAll("/+$", "") + "/api/studies/" + study + "/report?format=" + format);
        try {
            HttpResponse<byte[]> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build().send(
                    authorized(HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(2)), env).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                System.err.println("report: " + url + " answered HTTP " + r.statusCode() + ": " + new String(r.body()));
                return 1;
            }
            if ("-".equals(output)) {
                System.out.write(r.body());
                System.out.flush();
                return 0;
            }
            Path file = Path.of(output != null ? output : "chorus-study-" + study + "-report." + format);
            Files.write(file, r.body());
            System.err.println("report: wrote " + file.toAbsolutePath() + " (" + r.body().length + " bytes)");
            return 0;
        } catch (IOException e) {
            System.err.println("report: could not reach Chorus at " + coordinator + " (" + e.getMessage()
                    + "); start it, or point --coordinator at it");
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private static HttpRequest.Builder authorized(HttpRequest.Builder request, Map<String, String> env) {
        String token = env.get("CHORUS_TOKEN");
        return token == null || token.isBlank() ? request : request.header("Authorization", "Bearer " + token.strip());
    }

    private static int usage(String problem) {
        System.err.println("report: " + problem + "\n" + USAGE);
        return 2;
    }
}

package dev.chorus;

import dev.chorus.report.ParetoFront;
import dev.chorus.report.ParetoReport;
import dev.chorus.report.FrontAnalysis;
import dev.chorus.study.Study;
import dev.chorus.study.StudyService;
import dev.chorus.study.StudyState;
import dev.chorus.trial.References;
import dev.chorus.trial.Runs;
import dev.chorus.trial.TaskResult;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Creates, starts and follows a study in the terminal, then prints its Pareto front. */
@ApplicationScoped
class Demo {

    private final StudyService studies;
    private final FrontAnalysis analysis;
    private final int port;
    private final int managementPort;
    private final PrintStream out = System.out;

    Demo(StudyService studies, FrontAnalysis analysis, @ConfigProperty(name = "quarkus.http.port") int port,
         @ConfigProperty(name = "quarkus.management.port") int managementPort) {
        this.studies = studies;
        this.analysis = analysis;
        this.port = port;
        this.managementPort = managementPort;
    }

    void startInBackground(String file) {
        Thread.ofPlatform().name("chorus-demo").daemon().start(() -> {
            try {
                follow(create(file));
            } catch (RuntimeException e) {
                out.println("demo: " + e.getMessage());
            }
        });
    }

    private long create(String file) {
        Path path = Path.of(file == null ? "search-spaces/demo.yaml" : file);
        String yaml;
        Path baseDir;
        if (Files.exists(path)) {
            yaml = read(path);
            baseDir = path.toAbsolutePath().getParent();
        } else if (file == null) {
            yaml = bundled();
            baseDir = Path.of("");
        } else {
            throw new IllegalArgumentException("no such file: " + path.toAbsolutePath());
        }
        Study study = studies.start(studies.create(yaml, baseDir).id());
        String base = "http://localhost:" + port;
        out.printf("%ndemo: study %d '%s' started: %d trials of %d tasks; progress follows.%n"
                        + "demo: watch it at %s/api/studies/%d (Swagger UI: http://localhost:%d/q/swagger-ui)%n%n",
                study.id(), study.name(), study.maxTrials(), study.tasks().size(), base, study.id(), managementPort);
        return study.id();
    }

    private void follow(long id) {
        StudyService.Progress p = studies.progress(id);
        while (!p.state().isFinished()) {
            sleep();
            p = studies.progress(id);
        }
        Study study = studies.get(id);
        out.printf("%ndemo: study %d %s after %d trials%s%n", id, p.state().id(), p.finished(),
                study.state() == StudyState.FAILED ? " (" + study.error() + ")" : "");
        ParetoFront front = analysis.front(id);
        print(front);
        ParetoReport.Recommendation rec = analysis.recommendation(id, front);
        printReferences(front, rec.fewestModels());
        printStability(analysis.stability(id, rec));
        out.printf("%ndemo: recommended: %s%ndemo: answer: %s%n", rec.trainSeparately()
                ? "every task alone, each with its tuned reference's settings (named in the answer)"
                : rec.fewestModels() == null ? "none" : "trial " + rec.fewestModels().number() + ", "
                + rec.fewestModels().models() + " model(s) " + rec.fewestModels().groups(), rec.verdict());
        String base = "http://localhost:" + port;
        out.printf("%ndemo: Pareto front:  curl %s/api/studies/%d/pareto%n"
                + "demo: all trials:    curl '%s/api/studies/%d/trials?size=100'%n"
                + "demo: Chorus keeps serving; stop it with Ctrl-C.%n", base, id, base, id);
    }

    /** Each task's tuned reference with the gain from tuning, and the recommendation's gain from sharing. */
    private void printReferences(ParetoFront front, ParetoFront.Member recommended) {
        out.printf("%nTuned single-task references (held-out test; gain from tuning = reference vs fixed baseline, "
                + "gain from sharing = recommended vs reference)%n");
        for (References.Reference r : front.references()) {
            out.printf("  %-12s %-22s tuning %-36s sharing %s%n", r.task(), r.fixedBaseline() ? "fixed baseline"
                    : "trial " + r.trialNumber() + " (alone)", r.tuning() == null ? "0 (is the baseline)"
                    : r.tuning().test().percent(), recommended == null ? "—"
                    : recommended.sharing().tasks().get(r.task()).test().percent());
        }
        out.printf("  %-12s %-22s tuning %-36s sharing %s%n", "Δm", "", front.tuning() == null
                ? "0 (every reference is the baseline)" : front.tuning().testDeltaM().percent(),
                recommended == null ? "—" : recommended.sharing().testDeltaM().percent());
    }

    /** The recommendation's variants against it, run for run. */
    private void printStability(ParetoReport.Stability stability) {
        out.printf("%nStability of the recommendation (held-out test Δm vs tuned references; change = variant minus "
                + "recommended, run for run, in points)%n");
        for (ParetoReport.Variant v : stability.variants()) {
            out.printf("  %-56s Δm %-36s change %s%s%n", v.change(), v.testDeltaM() == null ? "—"
                    : v.testDeltaM().percent(), v.difference() == null ? "—" : v.difference().points(),
                    v.difference() == null || v.significant() ? "" : " (n.s.)");
        }
        out.printf("  %s%n", stability.summary());
    }

    private void print(ParetoFront front) {
        out.printf("%nPareto front (%d trials, chosen on validation; objectives: %s)%n", front.members().size(),
                String.join(", ", front.objectives()));
        for (ParetoFront.Member m : front.members()) {
            out.printf("  trial %3d  %d model(s) %s  %s%n", m.number(), m.models(), m.groups(), m.weighting());
            out.printf("      Δm on validation     %s%n      Δm on held-out test  %s%n", m.deltaMInterval().percent(),
                    m.testDeltaMInterval().percent());
            for (TaskResult r : m.results()) {
                Runs.TaskDeltas d = m.taskDeltas().get(r.task());
                out.printf("      %-12s test %.4f vs baseline %.4f: Δ %s%n", r.task(), r.test().value(),
                        r.test().baseline(), d == null ? "—" : d.test().percent());
            }
        }
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    private static String bundled() {
        try (InputStream in = Demo.class.getResourceAsStream("/search-spaces/demo.yaml")) {
            if (in == null) {
                throw new IllegalStateException("search-spaces/demo.yaml is neither here nor in the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("demo interrupted");
        }
    }
}

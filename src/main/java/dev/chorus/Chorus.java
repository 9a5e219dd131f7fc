package dev.chorus;

import dev.chorus.dispatch.WorkerCommand;
import dev.chorus.worker.TrialTraining;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.inject.Inject;
import java.util.List;

/**
 * The command line: {@code chorus} serves the API and runs studies; {@code chorus demo} does the
 * same and also creates, starts and follows the bundled demo study; {@code chorus worker} trains
 * trials for a coordinator ({@link WorkerCommand}); {@code chorus report} and {@code chorus data} write a
 * study's report ({@link ReportCommand}) and a generated dataset ({@link DataCommand}).
 */
@QuarkusMain
public class Chorus implements QuarkusApplication {

    static final String USAGE = """
            usage: java -jar target/quarkus-app/quarkus-run.jar [serve | demo [FILE] | worker [OPTIONS] | report ID | data overlay]
              serve        serve the REST API and run studies (the default)
              demo [FILE]  also create and start a study from FILE (default search-spaces/demo.yaml)
                           and print its progress and Pareto front
              worker       train trials for a coordinator (worker --help lists the options)
              report ID    write a study's Pareto report from the running Chorus (report --help)
              data overlay write the overlay-digit image dataset to disk (data --help)""";

    @Inject
    Demo demo;

    public static void main(String... args) {
        if (args.length > 0 && args[0].equals("worker")) {
            // a worker needs neither the server nor the database: no Quarkus application
            System.exit(WorkerCommand.run(List.of(args).subList(1, args.length), System.getenv(), new TrialTraining()));
        }
        if (args.length > 0 && args[0].equals("report")) {
            System.exit(ReportCommand.run(List.of(args).subList(1, args.length), System.getenv()));
        }
        if (args.length > 0 && args[0].equals("data")) {
            System.exit(DataCommand.run(List.of(args).subList(1, args.length), System.out, System.err));
        }
        Quarkus.run(Chorus.class, args);
    }

    @Override
    public int run(String... args) {
        String command = args.length == 0 ? "serve" : args[0];
        switch (command) {
            case "serve" -> { }
            case "demo" -> demo.startInBackground(args.length > 1 ? args[1] : null);
            default -> {
                System.err.println("unknown command '" + command + "'\n" + USAGE);
                return 2;
            }
        }
        Quarkus.waitForExit();
        return 0;
    }
}

package io.shendu.cli;

import io.shendu.backend.cpu.Parallel;
import io.shendu.cli.demo.Demo;
import io.shendu.cli.demo.DemoContext;
import io.shendu.cli.demo.Demos;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code shendu demo NAME}: the lecture's ideas, runnable; {@code --list} shows them. */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Run a demo of the lecture (see --list).")
final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "NAME", description = "The demo to run.")
    String name;

    @Option(names = "--list", description = "List the demos.")
    boolean list;

    @Option(names = "--quick", description = "A reduced run (fewer epochs, smaller data), as the tests use.")
    boolean quick;

    @Option(names = "--output", defaultValue = "demo-output", description = "Folder for pictures and files. Default: ${DEFAULT-VALUE}.")
    Path output;

    @Option(names = "--seed", defaultValue = "42", description = "Seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--threads", description = "Kernel threads (default: all processors).")
    Integer threads;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (list || name == null) {
            Demos.all().values().forEach(d -> out.printf("%-18s %s%n", d.name(), d.description()));
            return 0;
        }
        if (threads != null) Parallel.setThreads(threads);
        Demo demo = Demos.get(name);
        demo.run(new DemoContext(out, output, quick, seed));
        out.flush();
        return 0;
    }
}

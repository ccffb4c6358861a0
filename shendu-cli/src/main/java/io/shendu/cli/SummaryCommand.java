package io.shendu.cli;

import io.shendu.models.Models;
import io.shendu.nn.Module;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code shendu summary}: a zoo model's layer table, or the list of models. */
@Command(name = "summary", mixinStandardHelpOptions = true, description = "Show a model's layers and parameter count.")
final class SummaryCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", defaultValue = "lenet5", description = "Model name. Default: ${DEFAULT-VALUE}.")
    String model;

    @Option(names = "--list", description = "List the models of the zoo.")
    boolean list;

    @Option(names = "--channels", defaultValue = "1", description = "Input channels. Default: ${DEFAULT-VALUE}.")
    int channels;

    @Option(names = "--size", defaultValue = "28", description = "Input image side. Default: ${DEFAULT-VALUE}.")
    int size;

    @Option(names = "--classes", defaultValue = "10", description = "Number of classes. Default: ${DEFAULT-VALUE}.")
    int classes;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (list) {
            Models.entries().values().forEach(e -> out.printf("%-16s %s%n", e.name(), e.description()));
            return 0;
        }
        Module net = Models.create(model, new Models.Options(channels, size, classes, 0));
        out.print(net.summary(1, channels, size, size));
        return 0;
    }
}

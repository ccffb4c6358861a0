package io.shendu.cli;

import io.shendu.data.DataLoader;
import io.shendu.data.Split;
import io.shendu.data.TensorDataset;
import io.shendu.nn.CrossEntropyLoss;
import io.shendu.nn.Module;
import io.shendu.train.Evaluation;
import io.shendu.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code shendu eval}: accuracy, per-class accuracy and confusion matrix of a checkpoint on a data set. */
@Command(name = "eval", mixinStandardHelpOptions = true, description = "Evaluate a checkpoint on the test split of a data set.")
final class EvalCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--checkpoint", required = true, description = "A checkpoint JSON (e.g. runs/x/best.json).")
    Path checkpoint;

    @Mixin
    DataOptions data;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        TensorDataset test = data.load(Split.TEST);
        Module net = CheckpointModels.load(checkpoint, test.get(0).input().shape(), test.classes().size());
        Evaluation e = Trainer.evaluate(net, new CrossEntropyLoss()::forward, new DataLoader(test, DataLoader.Options.of(256)), 5);
        out.printf(Locale.ROOT, "loss %.4f, top-5 accuracy %.4f%n", e.loss(), e.topKAccuracy());
        double[] perClass = e.perClassAccuracy();
        for (int c = 0; c < perClass.length; c++) {
            out.printf(Locale.ROOT, "  class %d %-12s accuracy %.4f%n", c, test.classes().get(c), perClass[c]);
        }
        out.print(e.confusionTable());
        out.printf(Locale.ROOT, "test accuracy: %.4f (%d/%d)%n", e.accuracy(), e.correct(), e.count());
        return 0;
    }
}

package io.shendu.cli;

import io.shendu.autograd.NoGrad;
import io.shendu.backend.cpu.Parallel;
import io.shendu.data.Batch;
import io.shendu.data.DataLoader;
import io.shendu.data.Split;
import io.shendu.data.TensorDataset;
import io.shendu.models.Models;
import io.shendu.nn.CrossEntropyLoss;
import io.shendu.nn.Module;
import io.shendu.optim.Adam;
import io.shendu.optim.Optimizer;
import io.shendu.tensor.Tensor;
import io.shendu.train.Evaluation;
import io.shendu.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Locale;

/**
 * {@code shendu bench train|infer}: whole-training and inference throughput, printed in the fixed format that
 * {@code bench/compare.sh} sets side by side with the same workloads in PyTorch ({@code bench/pytorch/bench.py}).
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Measure training and inference speed.",
        subcommands = {BenchCommand.Train.class, BenchCommand.Infer.class})
final class BenchCommand {

    static final class Common {
        @Option(names = "--model", defaultValue = "lenet5", description = "mlp, lenet5 or bncnn (any zoo model). Default: ${DEFAULT-VALUE}.")
        String model;

        @Option(names = "--threads", description = "Kernel threads (default: all processors).")
        Integer threads;

        @Option(names = "--seed", defaultValue = "1", description = "Seed. Default: ${DEFAULT-VALUE}.")
        long seed;

        @Mixin
        DataOptions data;

        int applyThreads() {
            if (threads != null) Parallel.setThreads(threads);
            return Parallel.threads();
        }
    }

    @Command(name = "train", mixinStandardHelpOptions = true,
            description = "Train on the whole training set in memory (Adam 1e-3); a warm-up of 20 batches is not counted.")
    static final class Train implements Runnable {
        @Spec
        CommandSpec spec;

        @Mixin
        Common common;

        @Option(names = "--epochs", defaultValue = "3", description = "Epochs. Default: ${DEFAULT-VALUE}.")
        int epochs;

        @Option(names = "--batch", defaultValue = "64", description = "Batch size. Default: ${DEFAULT-VALUE}.")
        int batch;

        @Override
        public void run() {
            PrintWriter out = spec.commandLine().getOut();
            int threads = common.applyThreads();
            TensorDataset train = common.data.load(Split.TRAIN), test = common.data.load(Split.TEST);
            int[] shape = train.get(0).input().shape();
            Module net = Models.create(common.model, new Models.Options(shape[0], shape[1], train.classes().size(), common.seed));
            Optimizer<Adam> opt = new Optimizer<>(net.parameters(), Adam.of(1e-3));
            CrossEntropyLoss loss = new CrossEntropyLoss();
            Trainer trainer = new Trainer(net, opt, loss::forward, Trainer.Options.epochs(epochs));
            DataLoader loader = new DataLoader(train, DataLoader.Options.of(batch).withShuffle(true).withSeed(common.seed).withDropLast(true));
            net.train();
            try (DataLoader.Epoch warm = loader.epoch(1_000_000)) {
                for (int b = 0; b < 20 && warm.hasNext(); b++) trainer.trainStep(warm.next(), 0, b);
            }
            double[] seconds = new double[epochs], rates = new double[epochs];
            Evaluation last = null;
            for (int e = 0; e < epochs; e++) {
                net.train();
                long t0 = System.nanoTime();
                long images = 0;
                try (DataLoader.Epoch it = loader.epoch(e)) {
                    int b = 0;
                    while (it.hasNext()) {
                        Batch x = it.next();
                        trainer.trainStep(x, e + 1, b++);
                        images += x.size();
                    }
                }
                seconds[e] = (System.nanoTime() - t0) / 1e9;
                rates[e] = images / seconds[e];
                last = Trainer.evaluate(net, loss::forward, new DataLoader(test, DataLoader.Options.of(256)), 5);
                out.printf(Locale.ROOT, "epoch %d: %.2f s, %.0f img/s, test_acc=%.4f%n", e + 1, seconds[e], rates[e], last.accuracy());
            }
            out.printf(Locale.ROOT, "bench train model=%s threads=%d batch=%d epochs=%d epoch_s=%.3f img_per_s=%.0f test_acc=%.4f%n",
                    common.model, threads, batch, epochs, median(seconds), median(rates), last == null ? Double.NaN : last.accuracy());
        }
    }

    @Command(name = "infer", mixinStandardHelpOptions = true,
            description = "Eval-mode forward passes over the test set; the median of 3 passes after one warm-up pass.")
    static final class Infer implements Runnable {
        @Spec
        CommandSpec spec;

        @Mixin
        Common common;

        @Option(names = "--batch", defaultValue = "256", description = "Batch size. Default: ${DEFAULT-VALUE}.")
        int batch;

        @Override
        public void run() {
            PrintWriter out = spec.commandLine().getOut();
            int threads = common.applyThreads();
            TensorDataset test = common.data.load(Split.TEST);
            int[] shape = test.get(0).input().shape();
            Module net = Models.create(common.model, new Models.Options(shape[0], shape[1], test.classes().size(), common.seed));
            net.eval();
            DataLoader loader = new DataLoader(test, DataLoader.Options.of(batch));
            double[] rates = new double[3];
            for (int pass = -1; pass < 3; pass++) {
                long t0 = System.nanoTime();
                long images = 0;
                try (NoGrad ignored = NoGrad.enter(); DataLoader.Epoch it = loader.epoch(0)) {
                    while (it.hasNext()) {
                        Tensor y = net.forward(it.next().inputs());
                        images += y.size(0);
                    }
                }
                if (pass >= 0) rates[pass] = images / ((System.nanoTime() - t0) / 1e9);
            }
            out.printf(Locale.ROOT, "bench infer model=%s threads=%d batch=%d img_per_s=%.0f%n", common.model, threads, batch, median(rates));
        }
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length == 0 ? Double.NaN : s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}

package io.shendu.cli;

import io.shendu.backend.cpu.Parallel;
import io.shendu.data.DataLoader;
import io.shendu.data.Split;
import io.shendu.data.TensorDataset;
import io.shendu.io.Checkpoint;
import io.shendu.models.Models;
import io.shendu.nn.CrossEntropyLoss;
import io.shendu.nn.Module;
import io.shendu.optim.LRScheduler;
import io.shendu.optim.Optimizer;
import io.shendu.train.CheckpointCallback;
import io.shendu.train.EarlyStopping;
import io.shendu.train.Evaluation;
import io.shendu.train.HistoryWriter;
import io.shendu.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code shendu train}: trains a zoo model on a data set, with checkpoints, history and curves in the output folder. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a model. With no arguments: LeNet-5 on the embedded MNIST digits.")
final class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", defaultValue = "lenet5", description = "Model from the zoo (shendu summary --list). Default: ${DEFAULT-VALUE}.")
    String model;

    @Mixin
    DataOptions data;

    @Option(names = "--augment", defaultValue = "none", converter = DataOptions.AugmentConverter.class,
            description = "Training-set augmentation: none, flip-crop (random horizontal flip, then a random crop of "
                    + "the image padded by 2 zero pixels), seeded by --seed. Default: ${DEFAULT-VALUE}.")
    DataOptions.Augment augment;

    @Option(names = "--epochs", defaultValue = "8", description = "Epochs. Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--batch", defaultValue = "64", description = "Batch size. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--optimizer", defaultValue = "adam",
            description = "sgd, momentum, adagrad, adadelta, rmsprop, adam, adamw. Default: ${DEFAULT-VALUE}.")
    String optimizer;

    @Option(names = "--lr", description = "Learning rate; the peak under onecycle (default: the optimizer's usual "
            + "value, ×4 under onecycle, e.g. 0.004 for adam).")
    Double lr;

    @Option(names = "--schedule", defaultValue = "onecycle", description = "none, step, cosine, onecycle, warmup-cosine. Default: ${DEFAULT-VALUE}.")
    String schedule;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of initialisation, shuffling and dropout. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--threads", description = "Kernel threads (default: all processors, or SHENDU_THREADS).")
    Integer threads;

    @Option(names = "--workers", defaultValue = "1", description = "Data-loading threads. Default: ${DEFAULT-VALUE}.")
    int workers;

    @Option(names = "--patience", defaultValue = "0", description = "Early stopping patience on val_loss (0: off).")
    int patience;

    @Option(names = "--output", description = "Output folder (default: runs/<model>-<data>-<time>). Must not hold a checkpoint unless --resume.")
    Path output;

    @Option(names = "--resume", description = "Continue the run in --output from its last checkpoint.")
    boolean resume;

    @Option(names = "--stop-after", description = "Stop after this epoch, as an interrupted run would (continue later with --resume).")
    Integer stopAfter;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        long t0 = System.nanoTime();
        if (threads != null) Parallel.setThreads(threads);
        Path dir = output != null ? output
                : Path.of("runs", model + "-" + data.data + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Path lastJson = dir.resolve("last.json");
        if (resume && !Files.exists(lastJson)) {
            throw new IllegalArgumentException("--resume: no checkpoint at " + lastJson + " (expected the output folder of an earlier run)");
        }
        if (!resume && Files.exists(lastJson)) {
            throw new IllegalArgumentException("output folder " + dir + " already holds a checkpoint; pass --resume to continue it or choose another --output");
        }
        Checkpoint checkpoint = resume ? Checkpoint.load(lastJson) : null;
        if (checkpoint != null && !checkpoint.modelName().equals(model)) {
            throw new IllegalArgumentException("checkpoint " + lastJson + " is for model '" + checkpoint.modelName() + "', not '" + model + "'");
        }

        TensorDataset train = data.load(Split.TRAIN), test = data.load(Split.TEST);
        int[] shape = train.get(0).input().shape();
        Models.Options mo = new Models.Options(shape[0], shape[1], train.classes().size(), seed);
        Module net = Models.create(model, mo);
        Optimizer<?> opt = OptimizerFactory.create(optimizer, net.parameters(), lr);
        if (lr == null && OptimizerFactory.perBatch(schedule)) OptimizerFactory.scaleLr(opt, 4);
        DataLoader trainLoader = augment.loader(train,
                DataLoader.Options.of(batch).withShuffle(true).withSeed(seed).withWorkers(workers));
        DataLoader testLoader = new DataLoader(test, DataLoader.Options.of(256).withWorkers(workers));
        LRScheduler sched = OptimizerFactory.schedule(schedule, opt, epochs, trainLoader.numBatches());
        Files.createDirectories(dir);
        Map<String, Object> config = new LinkedHashMap<>(mo.toMap());
        config.put("data", data.data);
        config.put("augment", augment.toString());
        Trainer trainer = new Trainer(net, opt, new CrossEntropyLoss()::forward,
                Trainer.Options.epochs(epochs).withScheduleStep(OptimizerFactory.perBatch(schedule) ? Trainer.ScheduleStep.PER_BATCH : Trainer.ScheduleStep.PER_EPOCH))
                .withCallbacks(new ProgressCallback(out, epochs), new HistoryWriter(dir), new CurvePlots(dir),
                        new CheckpointCallback(dir, model, config, "val_accuracy", EarlyStopping.Mode.MAX));
        if (sched != null) trainer.withScheduler(sched);
        if (stopAfter != null) {
            trainer.withCallbacks(new io.shendu.train.Callback() {
                @Override
                public void onEpochEnd(Trainer t, io.shendu.train.EpochLogs logs) {
                    if (logs.epoch() >= stopAfter) t.requestStop("stopped after epoch " + logs.epoch() + " (--stop-after); continue with --resume");
                }
            });
        }
        if (patience > 0) trainer.withCallbacks(new EarlyStopping("val_loss", EarlyStopping.Mode.MIN, patience, 0, true));
        if (checkpoint != null) {
            trainer.restore(checkpoint);
            out.printf(Locale.ROOT, "resuming %s after epoch %d (step %d)%n", model, checkpoint.epoch(), checkpoint.step());
        }
        out.printf(Locale.ROOT, "%s on %s: %,d training and %,d test images, augment %s, %,d parameters, %s, %d threads; ready in %.2f s%n",
                model, data.data, train.size(), test.size(), augment, net.parameterCount(), opt.paramGroups().get(0).rule().name(),
                Parallel.threads(), (System.nanoTime() - t0) / 1e9);
        var history = trainer.fit(trainLoader, testLoader);
        if (history.stopReason() != null) out.println(history.stopReason());
        // the last epoch already evaluated the test set, unless early stopping restored other weights since
        Evaluation e = patience == 0 && trainer.lastValidation() != null ? trainer.lastValidation() : trainer.evaluate(testLoader);
        out.printf(Locale.ROOT, "outputs in %s (last.json, best.json, history.csv, loss.png, accuracy.png)%n", dir);
        out.printf(Locale.ROOT, "test accuracy: %.4f (%d/%d)%n", e.accuracy(), e.correct(), e.count());
        return 0;
    }
}

package io.shendu.train;

import io.shendu.autograd.NoGrad;
import io.shendu.data.Batch;
import io.shendu.data.DataLoader;
import io.shendu.io.Checkpoint;
import io.shendu.nn.Module;
import io.shendu.optim.GradClip;
import io.shendu.optim.LRScheduler;
import io.shendu.optim.Optimizer;
import io.shendu.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The training loop: for each batch, forward, loss, backward, optional gradient clipping, optimizer step; after
 * each epoch, validation and the callbacks (progress, early stopping, checkpoints, history). A NaN or infinite
 * loss stops training with a {@link NonFiniteLossException} naming the step.
 *
 * <p>The step itself ({@link #trainStep}) keeps no hidden state beyond the model, optimizer and scheduler, so
 * a data-parallel runner can call it on its own shard. {@link #checkpoint} and {@link #restore} capture
 * everything a resumed run needs to continue bit for bit: weights and buffers, optimizer and scheduler state,
 * epoch and step, and the states of the model's random generators.
 */
public final class Trainer {

    /** When the learning-rate schedule advances. */
    public enum ScheduleStep { PER_EPOCH, PER_BATCH }

    /** Loop settings; {@code clipGradNorm} ≤ 0 disables clipping. */
    public record Options(int epochs, double clipGradNorm, ScheduleStep scheduleStep) {
        public Options {
            if (epochs < 0) throw new IllegalArgumentException("Trainer: epochs must be >= 0, got " + epochs);
        }

        public static Options epochs(int epochs) {
            return new Options(epochs, 0, ScheduleStep.PER_EPOCH);
        }

        public Options withClipGradNorm(double maxNorm) {
            return new Options(epochs, maxNorm, scheduleStep);
        }

        public Options withScheduleStep(ScheduleStep s) {
            return new Options(epochs, clipGradNorm, s);
        }
    }

    private final Module model;
    private final Optimizer<?> optimizer;
    private final LossFunction loss;
    private final Options options;
    private final List<Callback> callbacks = new ArrayList<>();
    private LRScheduler scheduler;
    private int epochsDone;
    private long step;
    private String stopReason;
    private Evaluation lastValidation;

    public Trainer(Module model, Optimizer<?> optimizer, LossFunction loss, Options options) {
        this.model = model;
        this.optimizer = optimizer;
        this.loss = loss;
        this.options = options;
    }

    public Trainer withScheduler(LRScheduler s) {
        this.scheduler = s;
        return this;
    }

    public Trainer withCallbacks(Callback... cbs) {
        callbacks.addAll(List.of(cbs));
        return this;
    }

    public Module model() {
        return model;
    }

    public Optimizer<?> optimizer() {
        return optimizer;
    }

    /** Epochs completed so far (including those of a restored checkpoint). */
    public int epochsDone() {
        return epochsDone;
    }

    public long step() {
        return step;
    }

    /**
     * The validation of the last epoch {@link #fit} ran (null before one, or without a validation loader): the model
     * as that epoch left it, so a caller need not evaluate the same data again. A callback that changes the weights
     * after it (an {@link EarlyStopping} that restores the best ones) makes it stale.
     */
    public Evaluation lastValidation() {
        return lastValidation;
    }

    /** Asks the loop to stop after the current epoch; the reason ends up in {@link History#stopReason()}. */
    public void requestStop(String reason) {
        if (stopReason == null) stopReason = reason;
    }

    /** Trains until {@code options.epochs()} epochs are done (counting restored ones) or a callback stops it. */
    public History fit(DataLoader train, DataLoader validation) {
        History history = new History();
        stopReason = null;
        for (Callback c : callbacks) c.onTrainBegin(this);
        while (epochsDone < options.epochs() && stopReason == null) {
            int epoch = epochsDone + 1;
            EpochLogs logs = runEpoch(train, validation, epoch);
            epochsDone = epoch;
            history.add(logs);
            if (scheduler != null && options.scheduleStep() == ScheduleStep.PER_EPOCH) scheduler.step();
            for (Callback c : callbacks) c.onEpochEnd(this, logs);
        }
        if (stopReason != null) history.stopped(stopReason);
        for (Callback c : callbacks) c.onTrainEnd(this, history);
        return history;
    }

    private EpochLogs runEpoch(DataLoader train, DataLoader validation, int epoch) {
        model.train();
        int batches = train.numBatches();
        for (Callback c : callbacks) c.onEpochBegin(this, epoch, batches);
        double lr = optimizer.paramGroups().get(0).lr();
        long start = System.nanoTime();
        double lossSum = 0;
        long correct = 0, seen = 0, classified = 0;
        int b = 0;
        try (DataLoader.Epoch it = train.epoch(epoch - 1)) {
            while (it.hasNext()) {
                Batch batch = it.next();
                StepResult r = trainStep(batch, epoch, b);
                lossSum += r.loss() * batch.size();
                seen += batch.size();
                if (r.correct() >= 0) {
                    correct += r.correct();
                    classified += batch.size();
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                BatchLogs logs = new BatchLogs(epoch, b, batches, step, r.loss(), lossSum / seen,
                        classified == 0 ? Double.NaN : (double) correct / classified, seen, seen / Math.max(seconds, 1e-9));
                for (Callback c : callbacks) c.onBatchEnd(this, logs);
                b++;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Evaluation val = validation == null ? null : evaluate(validation);
        lastValidation = val;
        return new EpochLogs(epoch, lossSum / Math.max(seen, 1), classified == 0 ? Double.NaN : (double) correct / classified,
                val == null ? Double.NaN : val.loss(), val == null ? Double.NaN : val.accuracy(), lr, seconds, seen / seconds);
    }

    /** The loss and the number of correct predictions (−1 when the output is not class scores) of one step. */
    public record StepResult(double loss, long correct) {}

    /** One optimisation step on one batch. */
    public StepResult trainStep(Batch batch, int epoch, int index) {
        step++;
        Tensor out = model.forward(batch.inputs());
        Tensor l = loss.apply(out, batch.labels());
        double value = l.item();
        if (!Double.isFinite(value)) throw new NonFiniteLossException(step, epoch, index, value);
        optimizer.zeroGrad();
        l.backward();
        if (options.clipGradNorm() > 0) GradClip.clipGradNorm(model.parameters(), options.clipGradNorm());
        optimizer.step();
        if (scheduler != null && options.scheduleStep() == ScheduleStep.PER_BATCH) scheduler.step();
        return new StepResult(value, countCorrect(out, batch.labels()));
    }

    private static long countCorrect(Tensor out, Tensor labels) {
        if (out.rank() != 2 || labels.rank() != 1 || labels.dtype() != io.shendu.tensor.DType.INT32 || out.size(0) != labels.size(0)) return -1;
        int[] pred = out.detach().argmax(1).toIntArray();
        int[] truth = labels.toIntArray();
        long n = 0;
        for (int i = 0; i < pred.length; i++) if (pred[i] == truth[i]) n++;
        return n;
    }

    /** Mean loss, accuracy, top-5 accuracy and confusion matrix over a loader, in eval mode, without a graph. */
    public Evaluation evaluate(DataLoader loader) {
        return evaluate(model, loss, loader, 5);
    }

    /** Evaluates {@code model} (switched to eval mode and back) on {@code loader}. */
    public static Evaluation evaluate(Module model, LossFunction loss, DataLoader loader, int k) {
        boolean wasTraining = model.isTraining();
        model.eval();
        double lossSum = 0;
        long count = 0, correct = 0, correctK = 0;
        long[][] confusion = null;
        try (NoGrad ignored = NoGrad.enter(); DataLoader.Epoch it = loader.epoch(0)) {
            while (it.hasNext()) {
                Batch batch = it.next();
                Tensor out = model.forward(batch.inputs());
                lossSum += loss.apply(out, batch.labels()).item() * batch.size();
                count += batch.size();
                if (out.rank() != 2 || batch.labels().rank() != 1 || batch.labels().dtype() != io.shendu.tensor.DType.INT32) {
                    continue; // not class scores against class indices (e.g. regression): loss only
                }
                int classes = out.size(1);
                if (confusion == null) confusion = new long[classes][classes];
                float[] scores = out.toFloatArray();
                int[] truth = batch.labels().toIntArray();
                for (int i = 0; i < truth.length; i++) {
                    int best = 0, rank = 0;
                    float target = scores[i * classes + truth[i]];
                    for (int c = 0; c < classes; c++) {
                        float s = scores[i * classes + c];
                        if (s > scores[i * classes + best]) best = c;
                        if (s > target) rank++;
                    }
                    confusion[truth[i]][best]++;
                    if (best == truth[i]) correct++;
                    if (rank < k) correctK++;
                }
            }
        } finally {
            if (wasTraining) model.train();
        }
        return new Evaluation(lossSum / Math.max(count, 1), correct, correctK, k, count,
                confusion == null ? new long[0][0] : confusion);
    }

    /** Everything needed to resume: see the class comment. */
    public Checkpoint checkpoint(String modelName, Map<String, Object> modelConfig, Map<String, Object> extra) {
        return new Checkpoint(modelName, modelConfig, model.stateDict(), optimizer.stateDict(),
                scheduler == null ? null : scheduler.stateDict(), epochsDone, step,
                Checkpoint.statesOf(model.namedGenerators()), extra);
    }

    /** Restores a {@link #checkpoint} taken of the same model, optimizer and schedule. */
    public void restore(Checkpoint c) {
        model.loadStateDict(c.weights(), true);
        if (c.optimizer() != null) optimizer.loadStateDict(c.optimizer());
        if (scheduler != null && c.scheduler() != null) scheduler.loadStateDict(c.scheduler());
        c.restoreGenerators(model.namedGenerators());
        epochsDone = c.epoch();
        step = c.step();
    }
}

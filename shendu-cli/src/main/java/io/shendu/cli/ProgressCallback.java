package io.shendu.cli;

import io.shendu.train.BatchLogs;
import io.shendu.train.Callback;
import io.shendu.train.EpochLogs;
import io.shendu.train.Trainer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintWriter;
import java.util.Locale;

/** A progress bar per epoch (images/s, ETA, running loss and accuracy), then a summary line per epoch. */
final class ProgressCallback implements Callback {

    private final PrintWriter out;
    private final int epochs;
    private ProgressBar bar;

    ProgressCallback(PrintWriter out, int epochs) {
        this.out = out;
        this.epochs = epochs;
    }

    @Override
    public void onEpochBegin(Trainer trainer, int epoch, int batches) {
        bar = new ProgressBarBuilder().setTaskName(String.format(Locale.ROOT, "epoch %d/%d", epoch, epochs))
                .setInitialMax(batches).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250)
                .setMaxRenderedLength(110).continuousUpdate().build();
    }

    @Override
    public void onBatchEnd(Trainer trainer, BatchLogs logs) {
        bar.stepTo(logs.batch() + 1);
        bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4f acc %.4f %,.0f img/s",
                logs.runningLoss(), logs.runningAccuracy(), logs.imagesPerSecond()));
    }

    @Override
    public void onEpochEnd(Trainer trainer, EpochLogs l) {
        bar.close();
        out.printf(Locale.ROOT, "epoch %d/%d: loss %.4f acc %.4f | val_loss %.4f val_acc %.4f | lr %.3g | %.1f s, %,.0f img/s%n",
                l.epoch(), epochs, l.trainLoss(), l.trainAccuracy(), l.valLoss(), l.valAccuracy(), l.lr(), l.seconds(), l.imagesPerSecond());
        out.flush();
    }
}

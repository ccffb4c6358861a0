package io.shendu.cli;

import io.shendu.train.Callback;
import io.shendu.train.EpochLogs;
import io.shendu.train.Trainer;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/** Redraws {@code loss.png} and {@code accuracy.png} (train and validation per epoch) after every epoch. */
final class CurvePlots implements Callback {

    private final Path dir;
    private final List<EpochLogs> epochs = new ArrayList<>();

    CurvePlots(Path dir) {
        this.dir = dir;
    }

    @Override
    public void onTrainBegin(Trainer trainer) {
        epochs.clear();
        for (EpochLogs r : io.shendu.train.HistoryWriter.read(dir)) if (r.epoch() <= trainer.epochsDone()) epochs.add(r);
    }

    @Override
    public void onEpochEnd(Trainer trainer, EpochLogs logs) {
        epochs.add(logs);
        draw("loss", "Loss", EpochLogs::trainLoss, EpochLogs::valLoss);
        draw("accuracy", "Accuracy", EpochLogs::trainAccuracy, EpochLogs::valAccuracy);
    }

    private void draw(String file, String title, java.util.function.ToDoubleFunction<EpochLogs> train,
                      java.util.function.ToDoubleFunction<EpochLogs> val) {
        XYChart chart = new XYChartBuilder().width(640).height(400).title(title).xAxisTitle("epoch").yAxisTitle(title.toLowerCase()).build();
        double[] x = epochs.stream().mapToDouble(EpochLogs::epoch).toArray();
        chart.addSeries("train", x, epochs.stream().mapToDouble(train).toArray()).setMarker(SeriesMarkers.CIRCLE);
        double[] v = epochs.stream().mapToDouble(val).toArray();
        if (java.util.Arrays.stream(v).noneMatch(Double::isNaN)) chart.addSeries("validation", x, v).setMarker(SeriesMarkers.DIAMOND);
        save(chart, dir.resolve(file + ".png"));
    }

    /** Writes the PNG beside the target and renames it over, so a reader never sees half a picture. */
    static void save(XYChart chart, Path target) {
        try {
            Path tmp = Files.createTempFile(target.toAbsolutePath().getParent(), ".plot", ".png");
            BitmapEncoder.saveBitmap(chart, tmp.toString(), BitmapEncoder.BitmapFormat.PNG);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + target + ": " + e.getMessage(), e);
        }
    }
}

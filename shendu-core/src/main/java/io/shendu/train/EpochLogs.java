package io.shendu.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The metrics of one epoch. Validation values are NaN when no validation set was given; accuracies are NaN
 * for outputs that are not class scores.
 */
public record EpochLogs(int epoch, double trainLoss, double trainAccuracy, double valLoss, double valAccuracy,
                        double lr, double seconds, double imagesPerSecond) {

    /** The metrics by the names callbacks monitor: loss, accuracy, val_loss, val_accuracy, lr, ... */
    public Map<String, Double> asMap() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("epoch", (double) epoch);
        m.put("loss", trainLoss);
        m.put("accuracy", trainAccuracy);
        m.put("val_loss", valLoss);
        m.put("val_accuracy", valAccuracy);
        m.put("lr", lr);
        m.put("seconds", seconds);
        m.put("images_per_second", imagesPerSecond);
        return m;
    }

    /** The value of {@code metric}, failing with the known names when there is no such metric. */
    public double get(String metric) {
        Double v = asMap().get(metric);
        if (v == null) throw new IllegalArgumentException("unknown metric '" + metric + "'; known: " + asMap().keySet());
        return v;
    }
}

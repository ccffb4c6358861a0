package io.shendu.train;

import java.nio.file.Path;
import java.util.Map;

/**
 * Saves {@code last} after every epoch and {@code best} whenever the monitored metric improves, in
 * {@code dir}, through {@link io.shendu.io.Checkpoint} (crash-safe).
 */
public final class CheckpointCallback implements Callback {

    private final Path dir;
    private final String modelName;
    private final Map<String, Object> modelConfig;
    private final String monitor;
    private final EarlyStopping.Mode mode;
    private double best;

    public CheckpointCallback(Path dir, String modelName, Map<String, Object> modelConfig, String monitor, EarlyStopping.Mode mode) {
        this.dir = dir;
        this.modelName = modelName;
        this.modelConfig = modelConfig;
        this.monitor = monitor;
        this.mode = mode;
        this.best = mode == EarlyStopping.Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }

    @Override
    public void onEpochEnd(Trainer trainer, EpochLogs logs) {
        Map<String, Object> extra = Map.of("metrics", logs.asMap());
        trainer.checkpoint(modelName, modelConfig, extra).save(dir, "last");
        double value = logs.get(monitor);
        boolean improved = mode == EarlyStopping.Mode.MIN ? value < best : value > best;
        if (improved) {
            best = value;
            trainer.checkpoint(modelName, modelConfig, extra).save(dir, "best");
        }
    }
}

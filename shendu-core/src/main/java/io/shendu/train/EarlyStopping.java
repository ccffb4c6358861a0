package io.shendu.train;

import io.shendu.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stops training when the monitored metric has not improved by more than {@code minDelta} for
 * {@code patience} epochs; with {@code restoreBest}, puts back the weights of the best epoch at the end.
 */
public final class EarlyStopping implements Callback {

    /** Whether smaller (loss) or larger (accuracy) values are better. */
    public enum Mode { MIN, MAX }

    private final String monitor;
    private final Mode mode;
    private final int patience;
    private final double minDelta;
    private final boolean restoreBest;
    private double best;
    private int bestEpoch;
    private int waited;
    private Map<String, Tensor> bestState;

    public EarlyStopping(String monitor, Mode mode, int patience, double minDelta, boolean restoreBest) {
        if (patience < 0) throw new IllegalArgumentException("EarlyStopping: patience must be >= 0, got " + patience);
        this.monitor = monitor;
        this.mode = mode;
        this.patience = patience;
        this.minDelta = Math.abs(minDelta);
        this.restoreBest = restoreBest;
        this.best = mode == Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }

    /** The epoch with the best value so far (0 before the first). */
    public int bestEpoch() {
        return bestEpoch;
    }

    public double bestValue() {
        return best;
    }

    @Override
    public void onEpochEnd(Trainer trainer, EpochLogs logs) {
        double value = logs.get(monitor);
        boolean improved = mode == Mode.MIN ? value < best - minDelta : value > best + minDelta;
        if (improved) {
            best = value;
            bestEpoch = logs.epoch();
            waited = 0;
            if (restoreBest) bestState = copy(trainer.model().stateDict());
        } else if (++waited > patience) {
            trainer.requestStop("early stopping: " + monitor + " did not improve for " + waited
                    + " epochs (best " + best + " at epoch " + bestEpoch + ")");
        }
    }

    @Override
    public void onTrainEnd(Trainer trainer, History history) {
        if (restoreBest && bestState != null) trainer.model().loadStateDict(bestState, true);
    }

    private static Map<String, Tensor> copy(Map<String, Tensor> state) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        state.forEach((k, v) -> out.put(k, v.contiguousCopy()));
        return out;
    }
}

package io.shendu.optim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Lowers the lr when a metric stops improving, as PyTorch's {@code ReduceLROnPlateau} (1.13). After each epoch,
 * {@code step(validationLoss)}: when more than {@code patience} epochs in a row bring no improvement, every
 * group's lr becomes {@code max(lr·factor, minLr)} (changes under {@code eps} are skipped), then
 * {@code cooldown} epochs pass before bad epochs count again. An improvement on the best value {@code b} is
 * <pre>
 *   MIN, REL: x < b·(1 − threshold)     MIN, ABS: x < b − threshold
 *   MAX, REL: x > b·(1 + threshold)     MAX, ABS: x > b + threshold
 * </pre>
 */
public final class ReduceLROnPlateau {

    /** Whether the metric should go down (a loss) or up (an accuracy). */
    public enum MetricMode { MIN, MAX }

    /** Whether {@code threshold} is relative to the best value or absolute. */
    public enum ThresholdMode { REL, ABS }

    public record PlateauOptions(MetricMode mode, double factor, int patience, double threshold,
                                 ThresholdMode thresholdMode, int cooldown, double minLr, double eps) {

        public PlateauOptions {
            if (mode == null || thresholdMode == null) throw new IllegalArgumentException("ReduceLROnPlateau: mode is null");
            if (!(factor >= 0 && factor < 1)) throw new IllegalArgumentException("ReduceLROnPlateau: factor must be in [0, 1), got " + factor);
            if (patience < 0 || cooldown < 0) throw new IllegalArgumentException("ReduceLROnPlateau: patience and cooldown must be >= 0, got " + patience + ", " + cooldown);
            Checks.nonNegative("ReduceLROnPlateau", "threshold", threshold);
            Checks.nonNegative("ReduceLROnPlateau", "min_lr", minLr);
            Checks.nonNegative("ReduceLROnPlateau", "eps", eps);
        }

        /** PyTorch's defaults: MIN, factor 0.1, patience 10, threshold 1e-4 REL, no cooldown, min lr 0, eps 1e-8. */
        public static PlateauOptions defaults() {
            return new PlateauOptions(MetricMode.MIN, 0.1, 10, 1e-4, ThresholdMode.REL, 0, 0, 1e-8);
        }

        public PlateauOptions withMode(MetricMode mode) {
            return new PlateauOptions(mode, factor, patience, threshold, thresholdMode, cooldown, minLr, eps);
        }

        public PlateauOptions withFactor(double factor) {
            return new PlateauOptions(mode, factor, patience, threshold, thresholdMode, cooldown, minLr, eps);
        }

        public PlateauOptions withPatience(int patience) {
            return new PlateauOptions(mode, factor, patience, threshold, thresholdMode, cooldown, minLr, eps);
        }

        public PlateauOptions withThreshold(double threshold, ThresholdMode thresholdMode) {
            return new PlateauOptions(mode, factor, patience, threshold, thresholdMode, cooldown, minLr, eps);
        }

        public PlateauOptions withCooldown(int cooldown) {
            return new PlateauOptions(mode, factor, patience, threshold, thresholdMode, cooldown, minLr, eps);
        }

        public PlateauOptions withMinLr(double minLr) {
            return new PlateauOptions(mode, factor, patience, threshold, thresholdMode, cooldown, minLr, eps);
        }

        public PlateauOptions withEps(double eps) {
            return new PlateauOptions(mode, factor, patience, threshold, thresholdMode, cooldown, minLr, eps);
        }
    }

    private final Optimizer<?> optimizer;
    private final PlateauOptions options;
    private double best;
    private int badEpochs;
    private int cooldownLeft;
    private int lastEpoch;
    private double[] lastLr;

    public ReduceLROnPlateau(Optimizer<?> optimizer, PlateauOptions options) {
        this.optimizer = optimizer;
        this.options = options;
        this.best = options.mode() == MetricMode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
        this.lastLr = currentLrs();
    }

    /** Records one epoch's metric and lowers the lrs if it has plateaued. */
    public void step(double metric) {
        lastEpoch++;
        if (isBetter(metric)) {
            best = metric;
            badEpochs = 0;
        } else {
            badEpochs++;
        }
        if (cooldownLeft > 0) {
            cooldownLeft--;
            badEpochs = 0; // bad epochs during the cooldown do not count
        }
        if (badEpochs > options.patience()) {
            reduce();
            cooldownLeft = options.cooldown();
            badEpochs = 0;
        }
        lastLr = currentLrs();
    }

    private boolean isBetter(double x) {
        double t = options.threshold();
        boolean rel = options.thresholdMode() == ThresholdMode.REL;
        return options.mode() == MetricMode.MIN
                ? x < (rel ? best * (1 - t) : best - t)
                : x > (rel ? best * (1 + t) : best + t);
    }

    private void reduce() {
        for (ParamGroup<?> g : optimizer.paramGroups()) {
            double old = g.lr();
            double lowered = Math.max(old * options.factor(), options.minLr());
            if (old - lowered > options.eps()) g.setLr(lowered);
        }
    }

    private double[] currentLrs() {
        return optimizer.paramGroups().stream().mapToDouble(ParamGroup::lr).toArray();
    }

    public double[] lastLr() {
        return lastLr.clone();
    }

    /** The best metric so far (±infinity before the first step). */
    public double best() {
        return best;
    }

    /** Epochs since the last improvement (outside cooldown). */
    public int badEpochs() {
        return badEpochs;
    }

    public int lastEpoch() {
        return lastEpoch;
    }

    public Map<String, Object> stateDict() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("last_epoch", lastEpoch);
        // JSON has no infinities: before the first step the best is absent.
        if (Double.isFinite(best)) s.put("best", best);
        s.put("num_bad_epochs", badEpochs);
        s.put("cooldown_counter", cooldownLeft);
        s.put("last_lr", StateMaps.doubles(lastLr));
        return s;
    }

    public void loadStateDict(Map<String, Object> state) {
        double[] last = StateMaps.numbers(state, "last_lr");
        if (last.length != optimizer.paramGroups().size()) {
            throw new IllegalArgumentException("ReduceLROnPlateau.loadStateDict: saved for " + last.length
                    + " parameter groups, the optimizer has " + optimizer.paramGroups().size());
        }
        lastEpoch = StateMaps.integerAsInt(state, "last_epoch");
        best = state.containsKey("best") ? StateMaps.number(state, "best")
                : options.mode() == MetricMode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
        badEpochs = StateMaps.integerAsInt(state, "num_bad_epochs");
        cooldownLeft = StateMaps.integerAsInt(state, "cooldown_counter");
        lastLr = last;
    }

    /** The options in force. */
    public PlateauOptions options() {
        return options;
    }
}

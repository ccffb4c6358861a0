package io.shendu.models;

import io.shendu.tensor.Tensor;

import java.util.Arrays;

/**
 * Intersection over union (the Jaccard index) of binary masks: {@code |P ∩ T| / |P ∪ T|}, 1 when both masks are
 * empty. The usual score of a segmentation: unlike pixel accuracy it is not inflated by a large, easy background.
 */
public final class Iou {

    private Iou() {}

    /** The IoU of two masks of equal length. */
    public static double of(boolean[] predicted, boolean[] truth) {
        if (predicted.length != truth.length) {
            throw new IllegalArgumentException("Iou: masks of " + predicted.length + " and " + truth.length + " pixels differ in size");
        }
        return of(predicted, truth, 0, predicted.length);
    }

    private static double of(boolean[] predicted, boolean[] truth, int from, int to) {
        long intersection = 0, union = 0;
        for (int i = from; i < to; i++) {
            if (predicted[i] && truth[i]) intersection++;
            if (predicted[i] || truth[i]) union++;
        }
        return union == 0 ? 1 : (double) intersection / union;
    }

    /**
     * The IoU of each image: predicted mask {@code logits > 0} (probability above ½), true mask {@code truth > ½};
     * both {@code [N, ...]} of one shape.
     */
    public static double[] perImage(Tensor logits, Tensor truth) {
        if (!Arrays.equals(logits.shape(), truth.shape()) || logits.rank() < 2) {
            throw new IllegalArgumentException("Iou: logits " + Arrays.toString(logits.shape()) + " and masks "
                    + Arrays.toString(truth.shape()) + " must have one shape [N, ...]");
        }
        boolean[] p = threshold(logits.toFloatArray(), 0), t = threshold(truth.toFloatArray(), 0.5f);
        int n = logits.size(0), per = p.length / n;
        double[] out = new double[n];
        for (int i = 0; i < n; i++) out[i] = of(p, t, i * per, (i + 1) * per);
        return out;
    }

    /** The mean over images of {@link #perImage}. */
    public static double mean(Tensor logits, Tensor truth) {
        return Arrays.stream(perImage(logits, truth)).average().orElse(Double.NaN);
    }

    private static boolean[] threshold(float[] values, float above) {
        boolean[] out = new boolean[values.length];
        for (int i = 0; i < values.length; i++) out[i] = values[i] > above;
        return out;
    }
}

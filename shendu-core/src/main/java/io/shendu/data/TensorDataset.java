package io.shendu.data;

import io.shendu.tensor.DType;
import io.shendu.tensor.Tensor;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Labelled images held in memory: one float array {@code N × C × H × W} (values in [0, 1] for the built-in
 * sets) and one int label per image. A batch is a copy of contiguous rows, no per-pixel work.
 */
public final class TensorDataset implements Dataset {

    private final float[] images;
    private final int[] labels;
    private final int channels, height, width;
    private final List<String> classes;

    /**
     * From float {@code images [N, C, H, W]} and int32 {@code labels [N]}, each in 0..classes.size()−1. The
     * tensors' values are copied.
     */
    public TensorDataset(Tensor images, Tensor labels, List<String> classes) {
        this(checkImages(images).toFloatArray(), checkLabels(images, labels).toIntArray(),
                images.size(1), images.size(2), images.size(3), classes);
    }

    /** Wraps the arrays without copying; they must not be changed afterwards. */
    TensorDataset(float[] images, int[] labels, int channels, int height, int width, List<String> classes) {
        long pixels = (long) labels.length * channels * height * width;
        if (images.length != pixels) {
            throw new IllegalArgumentException("TensorDataset: " + labels.length + " labels of " + channels + " × " + height
                    + " × " + width + " images need " + pixels + " floats, got " + images.length);
        }
        this.images = images;
        this.labels = labels;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.classes = List.copyOf(classes);
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= this.classes.size()) {
                throw new IllegalArgumentException("TensorDataset: label " + labels[i] + " of example " + i
                        + " is outside 0.." + (this.classes.size() - 1) + " (" + this.classes.size() + " classes)");
            }
        }
    }

    @Override
    public int size() {
        return labels.length;
    }

    public int channels() {
        return channels;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    /** Class names, indexed by label. */
    public List<String> classes() {
        return classes;
    }

    public int label(int index) {
        return labels[Objects.checkIndex(index, labels.length)];
    }

    /** How many examples each class has, indexed by label. */
    public int[] classCounts() {
        int[] counts = new int[classes.size()];
        for (int label : labels) counts[label]++;
        return counts;
    }

    /** Example {@code index}: its image {@code [C, H, W]} (a copy) and label. */
    public Example get(int index) {
        Objects.checkIndex(index, labels.length);
        Tensor image = Tensor.zeros(channels, height, width);
        int row = channels * height * width;
        System.arraycopy(images, index * row, image.floatStorage(), 0, row);
        return new Example(image, labels[index]);
    }

    @Override
    public Batch batch(int[] indices) {
        int row = channels * height * width;
        Tensor inputs = Tensor.zeros(indices.length, channels, height, width);
        float[] out = inputs.floatStorage();
        int[] batchLabels = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            int index = Objects.checkIndex(indices[i], labels.length);
            System.arraycopy(images, index * row, out, i * row, row);
            batchLabels[i] = labels[index];
        }
        return new Batch(inputs, Tensor.ofInts(batchLabels, indices.length));
    }

    /** All images as one float tensor {@code [N, C, H, W]} (a copy). */
    public Tensor images() {
        return Tensor.of(images, labels.length, channels, height, width);
    }

    /** All labels as int32 {@code [N]}. */
    public Tensor labels() {
        return Tensor.ofInts(labels, labels.length);
    }

    /** Examples {@code from} (inclusive) to {@code to} (exclusive), e.g. to hold some out for validation. */
    public TensorDataset subset(int from, int to) {
        Objects.checkFromToIndex(from, to, labels.length);
        int row = channels * height * width;
        return new TensorDataset(Arrays.copyOfRange(images, from * row, to * row), Arrays.copyOfRange(labels, from, to),
                channels, height, width, classes);
    }

    @Override
    public String toString() {
        return "TensorDataset(" + labels.length + " × [" + channels + ", " + height + ", " + width + "], "
                + classes.size() + " classes)";
    }

    private static Tensor checkImages(Tensor images) {
        if (images.dtype() != DType.FLOAT32 || images.rank() != 4) {
            throw new IllegalArgumentException("TensorDataset: images must be float32 [N, C, H, W], got "
                    + images.dtype().torchName() + " " + Arrays.toString(images.shape()));
        }
        return images;
    }

    private static Tensor checkLabels(Tensor images, Tensor labels) {
        if (labels.dtype() != DType.INT32 || labels.rank() != 1 || labels.size(0) != images.size(0)) {
            throw new IllegalArgumentException("TensorDataset: labels must be int32 [" + images.size(0) + "] to match images "
                    + Arrays.toString(images.shape()) + ", got " + labels.dtype().torchName() + " " + Arrays.toString(labels.shape()));
        }
        return labels;
    }
}

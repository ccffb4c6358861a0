package io.shendu.models;

import io.shendu.data.Batch;
import io.shendu.data.Dataset;
import io.shendu.data.TensorDataset;
import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;

import java.util.Objects;

/**
 * A generated segmentation task: digits pasted at random places on cluttered, noisy backgrounds, and the mask
 * of their strokes. Each {@code side × side} image is a smooth background (a random level plus a few bright and
 * dark Gaussian blobs, between 0 and 0.7), the digit's strokes (its pixels above ½, which are also the mask) added
 * on top with a random contrast of 0.5–0.8, and per-pixel Gaussian noise of {@code noiseStd}. A digit is always
 * brighter than the background around it, but a faint digit on a dark patch is darker than a bright blob
 * elsewhere, so no single threshold recovers the masks: a model has to judge each pixel against its surroundings.
 *
 * <p>A {@link Dataset} of batches with inputs {@code [B, 1, side, side]} and float masks {@code [B, 1, side, side]}
 * as targets (for a per-pixel binary cross-entropy).
 */
public final class DigitSegmentation implements Dataset {

    private static final int BLOBS = 4;

    private final float[] images, masks;
    private final int count, side;

    private DigitSegmentation(float[] images, float[] masks, int count, int side) {
        this.images = images;
        this.masks = masks;
        this.count = count;
        this.side = side;
    }

    /**
     * {@code count} images of {@code side × side} (at least the digits' side), each from a digit of
     * {@code digits} drawn at random; all choices come from {@code gen}.
     */
    public static DigitSegmentation generate(TensorDataset digits, int count, int side, double noiseStd, Generator gen) {
        Objects.requireNonNull(gen, "DigitSegmentation: generator");
        int h = digits.height(), w = digits.width();
        if (digits.channels() != 1 || side < Math.max(h, w) || count <= 0 || !(noiseStd >= 0)) {
            throw new IllegalArgumentException("DigitSegmentation: need grey digits no larger than side " + side + ", count > 0"
                    + " and noiseStd >= 0, got " + digits + ", count " + count + ", noise " + noiseStd);
        }
        int area = side * side;
        float[] images = new float[count * area], masks = new float[count * area];
        for (int n = 0; n < count; n++) {
            float[] digit = digits.get(gen.nextInt(digits.size())).input().toFloatArray();
            int top = gen.nextInt(side - h + 1), left = gen.nextInt(side - w + 1);
            float contrast = 0.5f + 0.3f * gen.nextFloat();
            background(images, n * area, side, gen);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    if (digit[y * w + x] <= 0.5f) continue;
                    int p = n * area + (top + y) * side + left + x;
                    images[p] += contrast;
                    masks[p] = 1;
                }
            }
            for (int p = n * area; p < (n + 1) * area; p++) images[p] += (float) (noiseStd * gen.nextGaussian());
        }
        return new DigitSegmentation(images, masks, count, side);
    }

    /** A random level in [0, 0.3) plus {@link #BLOBS} Gaussian blobs of amplitude up to ±0.5 and radius 2–8 pixels, clipped to [0, 0.7]. */
    private static void background(float[] out, int offset, int side, Generator gen) {
        float level = 0.3f * gen.nextFloat();
        float[] cy = new float[BLOBS], cx = new float[BLOBS], r2 = new float[BLOBS], amp = new float[BLOBS];
        for (int b = 0; b < BLOBS; b++) {
            cy[b] = side * gen.nextFloat();
            cx[b] = side * gen.nextFloat();
            float r = 2 + 6 * gen.nextFloat();
            r2[b] = 2 * r * r;
            amp[b] = 0.5f * (2 * gen.nextFloat() - 1);
        }
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                float v = level;
                for (int b = 0; b < BLOBS; b++) {
                    float dy = y - cy[b], dx = x - cx[b];
                    v += amp[b] * (float) Math.exp(-(dy * dy + dx * dx) / r2[b]);
                }
                out[offset + y * side + x] = Math.clamp(v, 0f, 0.7f);
            }
        }
    }

    @Override
    public int size() {
        return count;
    }

    public int side() {
        return side;
    }

    /** All images {@code [N, 1, side, side]} (a copy). */
    public Tensor images() {
        return Tensor.of(images, count, 1, side, side);
    }

    /** All masks {@code [N, 1, side, side]}, 0 or 1 (a copy). */
    public Tensor masks() {
        return Tensor.of(masks, count, 1, side, side);
    }

    @Override
    public Batch batch(int[] indices) {
        int area = side * side;
        Tensor x = Tensor.zeros(indices.length, 1, side, side), m = Tensor.zeros(indices.length, 1, side, side);
        for (int i = 0; i < indices.length; i++) {
            int index = Objects.checkIndex(indices[i], count);
            System.arraycopy(images, index * area, x.floatStorage(), i * area, area);
            System.arraycopy(masks, index * area, m.floatStorage(), i * area, area);
        }
        return new Batch(x, m);
    }
}

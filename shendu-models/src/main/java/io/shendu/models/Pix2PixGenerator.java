package io.shendu.models;

import io.shendu.nn.BatchNorm2d;
import io.shendu.nn.Conv2d;
import io.shendu.nn.ConvTranspose2d;
import io.shendu.nn.Module;
import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;

import java.util.Arrays;
import java.util.List;

/**
 * The pix2pix generator (Isola et al. 2017), a U-Net (Ronneberger et al. 2015) two levels deep for small images:
 * an image of one domain {@code [N, in, H, W]} (H, W divisible by 4) to one of another {@code [N, out, H, W]}
 * in [−1, 1]. Encoder layers are 4 × 4 stride-2 convolutions (LeakyReLU 0.2, batch norm after the first);
 * decoder layers are 4 × 4 stride-2 transposed convolutions (batch norm, ReLU) that take the mirrored encoder
 * output concatenated to their input, so fine detail skips the bottleneck:
 * <pre>
 *   e1 = lrelu(conv(x))              [N, f, H/2]       d2 = relu(bn(convT(b ⧺ e2)))   [N, f, H/2]
 *   e2 = lrelu(bn(conv(e1)))         [N, 2f, H/4]      y  = tanh(convT(d2 ⧺ e1))      [N, out, H]
 *   b  = relu(bn(conv3×3(e2)))       [N, 2f, H/4]
 * </pre>
 * pix2pix's dropout noise is left out: the demo's mapping is nearly deterministic. Children {@code enc1, enc2,
 * bn2, mid, bnMid, dec2, bnDec2, dec1}; weights N(0, 0.02).
 */
public final class Pix2PixGenerator extends Module {

    private static final float SLOPE = 0.2f;

    private final int inChannels, outChannels, features;
    private final Conv2d enc1, enc2, mid;
    private final BatchNorm2d bn2, bnMid, bnDec2;
    private final ConvTranspose2d dec2, dec1;

    public Pix2PixGenerator(int inChannels, int outChannels, int features, Generator gen) {
        if (inChannels <= 0 || outChannels <= 0 || features <= 0) {
            throw new IllegalArgumentException("Pix2PixGenerator: channels and features must be positive, got "
                    + inChannels + ", " + outChannels + ", " + features);
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.features = features;
        enc1 = registerModule("enc1", new Conv2d(Conv2d.options(inChannels, features, 4).withStride(2).withPadding(1), gen));
        enc2 = registerModule("enc2", new Conv2d(
                Conv2d.options(features, 2 * features, 4).withStride(2).withPadding(1).withBias(false), gen));
        bn2 = registerModule("bn2", new BatchNorm2d(2 * features));
        mid = registerModule("mid", new Conv2d(Conv2d.options(2 * features, 2 * features, 3).withPadding(1).withBias(false), gen));
        bnMid = registerModule("bnMid", new BatchNorm2d(2 * features));
        dec2 = registerModule("dec2", new ConvTranspose2d(
                ConvTranspose2d.options(4 * features, features, 4).withStride(2).withPadding(1).withBias(false), gen));
        bnDec2 = registerModule("bnDec2", new BatchNorm2d(features));
        dec1 = registerModule("dec1", new ConvTranspose2d(
                ConvTranspose2d.options(2 * features, outChannels, 4).withStride(2).withPadding(1), gen));
        DcganGenerator.initWeights(this, gen);
    }

    /** {@code [N, in, H, W] → [N, out, H, W]} in [−1, 1]. */
    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 4 || x.size(1) != inChannels || x.size(2) % 4 != 0 || x.size(3) % 4 != 0) {
            throw new IllegalArgumentException(describe() + ": expected [N, " + inChannels
                    + ", H, W] with H and W divisible by 4, found " + Arrays.toString(x.shape()));
        }
        Tensor e1 = enc1.call(x).leakyRelu(SLOPE);
        Tensor e2 = bn2.call(enc2.call(e1)).leakyRelu(SLOPE);
        Tensor b = bnMid.call(mid.call(e2)).relu();
        Tensor d2 = bnDec2.call(dec2.call(Tensor.cat(List.of(b, e2), 1))).relu();
        return dec1.call(Tensor.cat(List.of(d2, e1), 1)).tanh();
    }

    @Override
    public String describe() {
        return "Pix2PixGenerator(in=" + inChannels + ", out=" + outChannels + ", features=" + features + ")";
    }
}

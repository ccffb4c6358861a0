package io.shendu.models;

import io.shendu.nn.BatchNorm2d;
import io.shendu.nn.Conv2d;
import io.shendu.nn.ConvTranspose2d;
import io.shendu.nn.Module;
import io.shendu.nn.ModuleList;
import io.shendu.nn.PoolFunctional;
import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * U-Net (Ronneberger, Fischer and Brox 2015): a contracting path of {@code depth} levels, each a double
 * convolution then 2×2 max pooling, with the width doubling per level ({@code width, 2·width, …}); a bottleneck
 * double convolution of {@code 2^depth·width} channels; and an expanding path that per level upsamples with a
 * 2×2 transposed convolution of stride 2, concatenates the contracting path's feature maps of the same size along
 * the channels (the skip connection), and applies a double convolution. A final 1×1 convolution gives
 * {@code outChannels} logits per pixel. The double convolution is {@code (3×3 conv → BatchNorm2d → ReLU) × 2}
 * with padding 1, the common variant of the paper's unpadded one, so the output has the input's size and no
 * cropping is needed.
 *
 * <p>{@code [N, inChannels, H, W] → [N, outChannels, H, W]}, with H and W divisible by {@code 2^depth}. Children:
 * {@code down.i}, {@code bottleneck}, {@code up.i} (transposed convolutions), {@code decode.i}, {@code head}.
 */
public final class UNet extends Module {

    /** {@code (conv 3×3 → BN → ReLU) × 2}; children {@code conv1, bn1, conv2, bn2}. */
    private static final class DoubleConv extends Module {
        private final Conv2d conv1, conv2;
        private final BatchNorm2d bn1, bn2;

        DoubleConv(int in, int out, Generator gen) {
            conv1 = registerModule("conv1", new Conv2d(Conv2d.options(in, out, 3).withPadding(1).withBias(false), gen));
            bn1 = registerModule("bn1", new BatchNorm2d(out));
            conv2 = registerModule("conv2", new Conv2d(Conv2d.options(out, out, 3).withPadding(1).withBias(false), gen));
            bn2 = registerModule("bn2", new BatchNorm2d(out));
        }

        @Override
        public Tensor forward(Tensor x) {
            return bn2.call(conv2.call(bn1.call(conv1.call(x)).relu())).relu();
        }
    }

    private final int inChannels, outChannels, depth, width;
    private final ModuleList down, up, decode;
    private final DoubleConv bottleneck;
    private final Conv2d head;

    /**
     * @param depth number of poolings (and of upsamplings), at least 1
     * @param width channels of the first level; level i has {@code width·2^i}
     */
    public UNet(int inChannels, int outChannels, int depth, int width, Generator gen) {
        if (inChannels <= 0 || outChannels <= 0 || depth < 1 || width <= 0) {
            throw new IllegalArgumentException("UNet: need positive channels and width and depth >= 1, got in=" + inChannels
                    + " out=" + outChannels + " depth=" + depth + " width=" + width);
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.depth = depth;
        this.width = width;
        down = registerModule("down", new ModuleList());
        up = registerModule("up", new ModuleList());
        decode = registerModule("decode", new ModuleList());
        for (int i = 0; i < depth; i++) down.add(new DoubleConv(i == 0 ? inChannels : width << (i - 1), width << i, gen));
        bottleneck = registerModule("bottleneck", new DoubleConv(width << (depth - 1), width << depth, gen));
        for (int i = depth - 1; i >= 0; i--) {
            up.add(new ConvTranspose2d(ConvTranspose2d.options(width << (i + 1), width << i, 2).withStride(2), gen));
            decode.add(new DoubleConv(2 * (width << i), width << i, gen)); // upsampled + skip channels
        }
        head = registerModule("head", new Conv2d(Conv2d.options(width, outChannels, 1), gen));
    }

    @Override
    public Tensor forward(Tensor x) {
        int multiple = 1 << depth;
        if (x.rank() != 4 || x.size(1) != inChannels || x.size(2) % multiple != 0 || x.size(3) % multiple != 0) {
            throw new IllegalArgumentException(describe() + ": expected [N, " + inChannels + ", H, W] with H and W divisible by "
                    + multiple + ", got " + Arrays.toString(x.shape()));
        }
        List<Tensor> skips = new ArrayList<>();
        for (Module level : down) {
            x = level.call(x);
            skips.add(x);
            x = PoolFunctional.maxPool2d(x, 2);
        }
        x = bottleneck.call(x);
        for (int i = 0; i < depth; i++) {
            Tensor upsampled = up.get(i).call(x);
            x = decode.get(i).call(Tensor.cat(List.of(skips.get(depth - 1 - i), upsampled), 1));
        }
        return head.call(x);
    }

    @Override
    public String describe() {
        return "UNet(in=" + inChannels + ", out=" + outChannels + ", depth=" + depth + ", width=" + width + ")";
    }
}

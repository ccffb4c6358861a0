package io.shendu.models;

import io.shendu.nn.BatchNorm2d;
import io.shendu.nn.Conv2d;
import io.shendu.nn.Module;
import io.shendu.nn.ModuleList;
import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * SRResNet, the generator of SRGAN (Ledig et al. 2017), for grey images: low-resolution {@code [N, 1, h, w]} to
 * {@code [N, 1, h·scale, w·scale]}, both in [0, 1]:
 * <pre>
 *   head  = act(conv9×9(x))                                1 → c channels
 *   body  = bn(conv3×3(blocks(head))) + head               blocks: x + bn(conv(act(bn(conv(x)))))
 *   up    = log₂(scale) × act(pixelShuffle₂(conv3×3(·)))   c → 4c → c channels, twice the side
 *   y     = conv9×9(up)                                    c → 1
 * </pre>
 * The paper's PReLU is LeakyReLU(0.2) here. Sub-pixel upsampling (Shi et al. 2016) is {@link #pixelShuffle}.
 * Trained with MSE it is the "SRResNet" of the paper's table; with {@link SrDiscriminator} and an adversarial
 * term it is SRGAN's generator. Children {@code head, blocks, conv, bn, up, tail}.
 */
public final class SrResNet extends Module {

    private static final float SLOPE = 0.2f;

    private final int scale, channels;
    private final Conv2d head, conv, tail;
    private final BatchNorm2d bn;
    private final ModuleList blocks, up;

    /**
     * @param scale 2 or 4 (a power of two)
     * @param channels feature channels c (the paper: 64)
     * @param numBlocks residual blocks (the paper: 16)
     */
    public SrResNet(int scale, int channels, int numBlocks, Generator gen) {
        if (scale < 2 || Integer.bitCount(scale) != 1 || channels <= 0 || numBlocks < 0) {
            throw new IllegalArgumentException("SrResNet: scale must be a power of two >= 2, channels positive, blocks >= 0; got scale="
                    + scale + " channels=" + channels + " blocks=" + numBlocks);
        }
        this.scale = scale;
        this.channels = channels;
        head = registerModule("head", new Conv2d(Conv2d.options(1, channels, 9).withPadding(4), gen));
        List<Module> body = new ArrayList<>();
        for (int i = 0; i < numBlocks; i++) body.add(new SrResidualBlock(channels, gen));
        blocks = registerModule("blocks", new ModuleList(body.toArray(Module[]::new)));
        conv = registerModule("conv", new Conv2d(Conv2d.options(channels, channels, 3).withPadding(1).withBias(false), gen));
        bn = registerModule("bn", new BatchNorm2d(channels));
        List<Module> ups = new ArrayList<>();
        for (int s = scale; s > 1; s /= 2) ups.add(new Conv2d(Conv2d.options(channels, 4 * channels, 3).withPadding(1), gen));
        up = registerModule("up", new ModuleList(ups.toArray(Module[]::new)));
        tail = registerModule("tail", new Conv2d(Conv2d.options(channels, 1, 9).withPadding(4), gen));
    }

    public int scale() {
        return scale;
    }

    /** {@code [N, 1, h, w]} → {@code [N, 1, h·scale, w·scale]}. */
    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 4 || x.size(1) != 1) {
            throw new IllegalArgumentException(describe() + ": expected grey images [N, 1, H, W], found " + Arrays.toString(x.shape()));
        }
        Tensor h = head.call(x).leakyRelu(SLOPE);
        Tensor y = h;
        for (Module block : blocks) y = block.call(y);
        y = bn.call(conv.call(y)).add(h);
        for (Module u : up) y = pixelShuffle(u.call(y), 2).leakyRelu(SLOPE);
        return tail.call(y);
    }

    /**
     * Sub-pixel rearrangement (PyTorch's {@code pixel_shuffle}): {@code [N, C·r², H, W] → [N, C, H·r, W·r]} with
     * {@code out[n, c, h·r + i, w·r + j] = in[n, c·r² + i·r + j, h, w]}. Views only, so it needs no gradient of its own.
     */
    public static Tensor pixelShuffle(Tensor x, int r) {
        if (x.rank() != 4 || r <= 0 || x.size(1) % (r * r) != 0) {
            throw new IllegalArgumentException("pixel_shuffle: input " + Arrays.toString(x.shape())
                    + " needs rank 4 and channels divisible by r² = " + r * r);
        }
        int n = x.size(0), c = x.size(1) / (r * r), h = x.size(2), w = x.size(3);
        return x.reshape(n, c, r, r, h, w).permute(0, 1, 4, 2, 5, 3).reshape(n, c, h * r, w * r);
    }

    @Override
    public String describe() {
        return "SrResNet(scale=" + scale + ", channels=" + channels + ", blocks=" + blocks.size() + ")";
    }

    /** {@code x + bn2(conv2(act(bn1(conv1(x)))))}, 3 × 3 convolutions keeping the channels and the size. */
    static final class SrResidualBlock extends Module {

        private final Conv2d conv1, conv2;
        private final BatchNorm2d bn1, bn2;

        SrResidualBlock(int channels, Generator gen) {
            conv1 = registerModule("conv1", new Conv2d(Conv2d.options(channels, channels, 3).withPadding(1).withBias(false), gen));
            bn1 = registerModule("bn1", new BatchNorm2d(channels));
            conv2 = registerModule("conv2", new Conv2d(Conv2d.options(channels, channels, 3).withPadding(1).withBias(false), gen));
            bn2 = registerModule("bn2", new BatchNorm2d(channels));
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor y = bn1.call(conv1.call(x)).leakyRelu(SLOPE);
            return bn2.call(conv2.call(y)).add(x);
        }
    }
}

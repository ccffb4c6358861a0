package io.shendu.models;

import io.shendu.nn.BatchNorm2d;
import io.shendu.nn.Conv2d;
import io.shendu.nn.ConvTranspose2d;
import io.shendu.nn.Flatten;
import io.shendu.nn.Linear;
import io.shendu.nn.Module;
import io.shendu.nn.ReLU;
import io.shendu.nn.Sequential;
import io.shendu.nn.Sigmoid;
import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A convolutional autoencoder for {@code [N, C, S, S]} images. Encoder: per entry of {@code channels}, a 3×3
 * convolution with stride 2 and padding 1 (halving the side) {@code (→ BatchNorm2d) → ReLU}, then a linear map of
 * the flattened feature maps to the code. Decoder, the mirror image: a linear map back to the smallest feature
 * maps and ReLU, then per level a 3×3 transposed convolution with stride 2, padding 1 and output padding 1
 * (doubling the side), with ReLU between levels and a sigmoid at the end. For MNIST,
 * {@code ConvAutoEncoder.options(1, 28, 32, 16, 32)} maps 28 → 14 → 7 and back through a 32-number code.
 *
 * <p>With {@code noiseStd > 0} it is a denoising autoencoder (see {@link InputNoise}). Children: {@code noise}
 * (when denoising), {@code encoder}, {@code toCode}, {@code fromCode}, {@code decoder}.
 */
public final class ConvAutoEncoder extends Module {

    /**
     * Image channels and side ({@code side} divisible by 2 per level), the channels of each encoder level, the
     * code size, batch norm after each hidden convolution, and the input noise's standard deviation.
     */
    public record ConvAutoEncoderOptions(int inChannels, int side, int[] channels, int codeSize, boolean batchNorm,
                                         double noiseStd) {
        public ConvAutoEncoderOptions {
            if (inChannels <= 0 || side <= 0 || codeSize <= 0 || channels.length == 0 || Arrays.stream(channels).anyMatch(c -> c <= 0)) {
                throw new IllegalArgumentException("ConvAutoEncoder: sizes must be positive and at least one level given, got in="
                        + inChannels + " side=" + side + " channels=" + Arrays.toString(channels) + " code=" + codeSize);
            }
            if (side % (1 << channels.length) != 0) {
                throw new IllegalArgumentException("ConvAutoEncoder: side " + side + " must be divisible by 2^" + channels.length
                        + " for " + channels.length + " levels");
            }
            if (!(noiseStd >= 0)) throw new IllegalArgumentException("ConvAutoEncoder: noiseStd must be >= 0, got " + noiseStd);
            channels = channels.clone();
        }

        @Override
        public int[] channels() {
            return channels.clone();
        }

        public ConvAutoEncoderOptions withBatchNorm(boolean on) {
            return new ConvAutoEncoderOptions(inChannels, side, channels, codeSize, on, noiseStd);
        }

        public ConvAutoEncoderOptions withNoise(double std) {
            return new ConvAutoEncoderOptions(inChannels, side, channels, codeSize, batchNorm, std);
        }
    }

    /** {@code options(1, 28, 32, 16, 32)}: one channel, side 28, code 32, levels of 16 and 32 channels. */
    public static ConvAutoEncoderOptions options(int inChannels, int side, int codeSize, int... channels) {
        return new ConvAutoEncoderOptions(inChannels, side, channels, codeSize, false, 0);
    }

    private final ConvAutoEncoderOptions options;
    private final InputNoise noise;
    private final Sequential encoder, decoder;
    private final Linear toCode, fromCode;
    private final int[] smallest; // [C, s, s] of the deepest feature maps

    public ConvAutoEncoder(ConvAutoEncoderOptions options, Generator gen) {
        this.options = options;
        int[] ch = options.channels();
        int levels = ch.length, s = options.side() >> levels;
        smallest = new int[] {ch[levels - 1], s, s};
        noise = options.noiseStd() > 0 ? registerModule("noise", new InputNoise(options.noiseStd(), gen.split())) : null;
        List<Module> enc = new ArrayList<>(), dec = new ArrayList<>();
        for (int i = 0; i < levels; i++) {
            enc.add(new Conv2d(Conv2d.options(i == 0 ? options.inChannels() : ch[i - 1], ch[i], 3).withStride(2).withPadding(1), gen));
            if (options.batchNorm()) enc.add(new BatchNorm2d(ch[i]));
            enc.add(new ReLU());
        }
        enc.add(new Flatten());
        for (int i = levels - 1; i >= 0; i--) {
            int out = i == 0 ? options.inChannels() : ch[i - 1];
            dec.add(new ConvTranspose2d(ConvTranspose2d.options(ch[i], out, 3).withStride(2).withPadding(1).withOutputPadding(1), gen));
            if (i == 0) break;
            if (options.batchNorm()) dec.add(new BatchNorm2d(out));
            dec.add(new ReLU());
        }
        dec.add(new Sigmoid());
        encoder = registerModule("encoder", new Sequential(enc.toArray(Module[]::new)));
        toCode = registerModule("toCode", new Linear(ch[levels - 1] * s * s, options.codeSize(), true, gen));
        fromCode = registerModule("fromCode", new Linear(options.codeSize(), ch[levels - 1] * s * s, true, gen));
        decoder = registerModule("decoder", new Sequential(dec.toArray(Module[]::new)));
    }

    public ConvAutoEncoderOptions options() {
        return options;
    }

    /** The code {@code [N, codeSize]} of images {@code [N, C, S, S]}; no noise is added. */
    public Tensor encode(Tensor x) {
        if (x.rank() != 4 || x.size(1) != options.inChannels() || x.size(2) != options.side() || x.size(3) != options.side()) {
            throw new IllegalArgumentException("ConvAutoEncoder: expected [N, " + options.inChannels() + ", " + options.side()
                    + ", " + options.side() + "], got " + Arrays.toString(x.shape()));
        }
        return toCode.call(encoder.call(x));
    }

    /** Images {@code [N, C, S, S]} decoded from codes {@code [N, codeSize]}. */
    public Tensor decode(Tensor code) {
        Tensor maps = fromCode.call(code).relu().reshape(code.size(0), smallest[0], smallest[1], smallest[2]);
        return decoder.call(maps);
    }

    @Override
    public Tensor forward(Tensor x) {
        return decode(encode(noise == null ? x : noise.call(x)));
    }

    @Override
    public String describe() {
        return "ConvAutoEncoder(channels=" + Arrays.toString(options.channels) + ", code=" + options.codeSize()
                + (options.batchNorm() ? ", batch norm" : "") + (options.noiseStd() > 0 ? ", noise std " + options.noiseStd() : "") + ")";
    }
}

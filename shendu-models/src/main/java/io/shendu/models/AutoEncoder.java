package io.shendu.models;

import io.shendu.nn.BatchNorm1d;
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
 * A fully connected autoencoder after Hinton and Salakhutdinov (2006), "Reducing the dimensionality of data with
 * neural networks": an encoder {@code D → h₁ → … → code} and its mirror image as decoder
 * {@code code → … → h₁ → D}. Hidden layers are {@code Linear (→ BatchNorm1d) → ReLU}; the code layer is linear
 * (as in the paper) and the output layer a sigmoid, for pixels in [0, 1]. The paper's MNIST network is
 * {@code AutoEncoder.options(784, 1000, 500, 250, 2)}; it was pretrained as stacked RBMs, here it is trained end to
 * end with Adam, which batch norm makes easy.
 *
 * <p>{@code forward}: {@code [N, D]} or images {@code [N, C, H, W]} (flattened, {@code C·H·W = D}) to a
 * reconstruction of the same shape. With {@code noiseStd > 0} it is a denoising autoencoder: an
 * {@link InputNoise} corrupts the input in training mode, and the target stays the clean image. Children:
 * {@code noise} (when denoising), {@code encoder}, {@code decoder}.
 */
public final class AutoEncoder extends Module {

    /**
     * The layer widths {@code [D, h₁, …, code]} (the decoder mirrors them), batch norm after each hidden linear
     * layer, and the standard deviation of the input noise (0: a plain autoencoder).
     */
    public record AutoEncoderOptions(int[] widths, boolean batchNorm, double noiseStd) {
        public AutoEncoderOptions {
            if (widths.length < 2) throw new IllegalArgumentException("AutoEncoder: need at least input and code sizes, got " + Arrays.toString(widths));
            for (int w : widths) if (w <= 0) throw new IllegalArgumentException("AutoEncoder: widths must be positive, got " + Arrays.toString(widths));
            if (!(noiseStd >= 0)) throw new IllegalArgumentException("AutoEncoder: noiseStd must be >= 0, got " + noiseStd);
            widths = widths.clone();
        }

        @Override
        public int[] widths() {
            return widths.clone();
        }

        public AutoEncoderOptions withBatchNorm(boolean on) {
            return new AutoEncoderOptions(widths, on, noiseStd);
        }

        /** Trains as a denoising autoencoder with Gaussian input noise of this standard deviation. */
        public AutoEncoderOptions withNoise(double std) {
            return new AutoEncoderOptions(widths, batchNorm, std);
        }
    }

    /** Widths {@code input, hidden..., code}; no batch norm, no noise. */
    public static AutoEncoderOptions options(int... widths) {
        return new AutoEncoderOptions(widths, false, 0);
    }

    private final AutoEncoderOptions options;
    private final InputNoise noise;
    private final Sequential encoder, decoder;

    public AutoEncoder(AutoEncoderOptions options, Generator gen) {
        this.options = options;
        int[] w = options.widths();
        noise = options.noiseStd() > 0 ? registerModule("noise", new InputNoise(options.noiseStd(), gen.split())) : null;
        List<Module> enc = new ArrayList<>(), dec = new ArrayList<>();
        for (int i = 0; i + 1 < w.length; i++) addLayer(enc, w[i], w[i + 1], i + 2 < w.length, gen);
        for (int i = w.length - 1; i > 0; i--) addLayer(dec, w[i], w[i - 1], i > 1, gen);
        dec.add(new Sigmoid());
        encoder = registerModule("encoder", new Sequential(enc.toArray(Module[]::new)));
        decoder = registerModule("decoder", new Sequential(dec.toArray(Module[]::new)));
    }

    /** A linear layer, followed by (batch norm and) ReLU when it is a hidden layer. */
    private void addLayer(List<Module> layers, int in, int out, boolean hidden, Generator gen) {
        layers.add(new Linear(in, out, true, gen));
        if (!hidden) return;
        if (options.batchNorm()) layers.add(new BatchNorm1d(out));
        layers.add(new ReLU());
    }

    public AutoEncoderOptions options() {
        return options;
    }

    /** The code {@code [N, code]} of inputs {@code [N, D]} or {@code [N, C, H, W]}; no noise is added. */
    public Tensor encode(Tensor x) {
        return encoder.call(flat(x));
    }

    /** The reconstruction {@code [N, D]} of codes {@code [N, code]}. */
    public Tensor decode(Tensor code) {
        return decoder.call(code);
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor in = noise == null ? x : noise.call(x);
        return decode(encode(in)).reshape(x.shape());
    }

    private Tensor flat(Tensor x) {
        int d = options.widths[0];
        if (x.rank() < 2 || x.numel() / x.size(0) != d) {
            throw new IllegalArgumentException("AutoEncoder: expected [N, " + d + "] or images with " + d
                    + " values each, got " + Arrays.toString(x.shape()));
        }
        return x.rank() == 2 ? x : x.flatten(1, -1);
    }

    @Override
    public String describe() {
        return "AutoEncoder" + Arrays.toString(options.widths) + (options.batchNorm() ? " with batch norm" : "")
                + (options.noiseStd() > 0 ? ", denoising (std " + options.noiseStd() + ")" : "");
    }
}

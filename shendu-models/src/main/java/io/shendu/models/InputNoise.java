package io.shendu.models;

import io.shendu.nn.Module;
import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;

import java.util.Objects;

/**
 * The corruption of a denoising autoencoder (Vincent et al. 2008): in training mode {@code y = x + std·ε},
 * ε ~ N(0, 1) drawn per element from the module's registered generator (checkpoints save its state); in eval mode
 * {@code y = x}. The reconstruction target stays the clean {@code x}, so the network learns to remove the noise.
 * Stateless apart from the generator; no parameters.
 */
public final class InputNoise extends Module {

    private final double std;
    private final Generator generator;

    public InputNoise(double std, Generator generator) {
        if (!(std >= 0) || Double.isInfinite(std)) throw new IllegalArgumentException("InputNoise: std must be finite and >= 0, got " + std);
        this.std = std;
        this.generator = registerGenerator("generator", Objects.requireNonNull(generator, "InputNoise: generator"));
    }

    public double std() {
        return std;
    }

    @Override
    public Tensor forward(Tensor x) {
        return isTraining() && std > 0 ? corrupt(x, std, generator) : x;
    }

    /** {@code x + std·ε} whatever the mode, e.g. to show a trained denoiser noisy inputs. */
    public static Tensor corrupt(Tensor x, double std, Generator gen) {
        return x.add(Tensor.randn(gen, x.shape()).mul((float) std));
    }

    @Override
    public String describe() {
        return "InputNoise(std=" + std + ")";
    }
}

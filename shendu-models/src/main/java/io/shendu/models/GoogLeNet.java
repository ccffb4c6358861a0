package io.shendu.models;

import io.shendu.nn.AdaptiveAvgPool2d;
import io.shendu.nn.Conv2d;
import io.shendu.nn.Dropout;
import io.shendu.nn.Init;
import io.shendu.nn.Linear;
import io.shendu.nn.MaxPool2d;
import io.shendu.nn.MaxPool2d.MaxPool2dOptions;
import io.shendu.nn.Module;
import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;

import java.util.List;

/**
 * GoogLeNet (Inception v1, Szegedy et al. 2015) as torchvision's: every convolution is a {@link BasicConv2d}
 * (batch norm, no bias), stem {@code conv1} 7×7/2, max pool, {@code conv2} 1×1, {@code conv3} 3×3, max pool,
 * nine {@link Inception} modules ({@code inception3a} … {@code inception5b}) with max pools between the stages
 * (all pools in ceil mode), global average pooling, dropout 0.2 and {@code fc} 1024 → classes. With
 * {@code auxLogits}, two {@link InceptionAux} heads ({@code aux1} after inception4a, {@code aux2} after
 * inception4d) produce extra logits in training mode ({@link #forwardWithAux}). Parameters at 1000 classes:
 * 6,624,904, or 13,004,888 with the auxiliary classifiers. Initialisation: conv and linear weights
 * N(0, 0.01²) (torchvision's truncation at ±2 never bites at that scale), batch norm 1 and 0.
 *
 * <p>The small-input variant ({@link GoogLeNetOptions#small}) for 28×28 and 32×32 images makes {@code conv1}
 * 3×3 with padding 1 and stride {@code firstStride} and drops the first max pool (28×28 inputs reach the
 * inception modules at 14×14, 7×7 and 4×4 with stride 1, at 7×7, 4×4 and 2×2 with stride 2). At 1 channel,
 * 10 classes, no auxiliary heads: 5,601,322 parameters.
 */
public final class GoogLeNet extends Module {

    /**
     * Input channels, classes, the auxiliary heads, torchvision's {@code transform_input} (re-normalise
     * ImageNet-normalised RGB to [−1, 1]; 3 channels only), the small-input variant, the first stride, and the
     * dropout probabilities of the main and auxiliary classifiers (torchvision: 0.2 and 0.7).
     */
    public record GoogLeNetOptions(int inChannels, int numClasses, boolean auxLogits, boolean transformInput,
                                   boolean smallInput, int firstStride, double dropout, double dropoutAux) {
        public GoogLeNetOptions {
            if (inChannels < 1 || numClasses < 1 || firstStride < 1) {
                throw new IllegalArgumentException("GoogLeNet: inChannels, numClasses and firstStride must be positive, got "
                        + inChannels + ", " + numClasses + ", " + firstStride);
            }
            if (transformInput && inChannels != 3) {
                throw new IllegalArgumentException("GoogLeNet: transformInput needs 3 input channels, got " + inChannels);
            }
            if (!(dropout >= 0 && dropout <= 1 && dropoutAux >= 0 && dropoutAux <= 1)) {
                throw new IllegalArgumentException("GoogLeNet: dropout probabilities must be in [0, 1], got " + dropout
                        + " and " + dropoutAux);
            }
        }

        /** torchvision's model (its default keeps the auxiliary classifiers when built without weights). */
        public static GoogLeNetOptions imagenet(int numClasses, boolean auxLogits) {
            return new GoogLeNetOptions(3, numClasses, auxLogits, false, false, 2, 0.2, 0.7);
        }

        /** The small-input variant for 28×28 or 32×32 images, without auxiliary classifiers. */
        public static GoogLeNetOptions small(int inChannels, int firstStride, int numClasses) {
            return new GoogLeNetOptions(inChannels, numClasses, false, false, true, firstStride, 0.2, 0.7);
        }

        public GoogLeNetOptions withInChannels(int c) {
            return new GoogLeNetOptions(c, numClasses, auxLogits, transformInput, smallInput, firstStride, dropout, dropoutAux);
        }

        public GoogLeNetOptions withAuxLogits(boolean aux) {
            return new GoogLeNetOptions(inChannels, numClasses, aux, transformInput, smallInput, firstStride, dropout, dropoutAux);
        }

        public GoogLeNetOptions withTransformInput(boolean t) {
            return new GoogLeNetOptions(inChannels, numClasses, auxLogits, t, smallInput, firstStride, dropout, dropoutAux);
        }

        public GoogLeNetOptions withFirstStride(int s) {
            return new GoogLeNetOptions(inChannels, numClasses, auxLogits, transformInput, smallInput, s, dropout, dropoutAux);
        }
    }

    /** The outputs in training mode, as torchvision's {@code GoogLeNetOutputs}; the aux logits are null otherwise. */
    public record GoogLeNetOutputs(Tensor logits, Tensor auxLogits2, Tensor auxLogits1) {}

    private final GoogLeNetOptions options;
    private final BasicConv2d conv1, conv2, conv3;
    private final MaxPool2d maxpool1, maxpool2, maxpool3, maxpool4;
    private final Inception inception3a, inception3b, inception4a, inception4b, inception4c, inception4d,
            inception4e, inception5a, inception5b;
    private final InceptionAux aux1, aux2;
    private final AdaptiveAvgPool2d avgpool;
    private final Dropout dropout;
    private final Linear fc;

    public GoogLeNet(GoogLeNetOptions o, Generator gen) {
        this.options = o;
        Conv2d.Conv2dOptions stem = o.smallInput() ? Conv2d.options(o.inChannels(), 64, 3).withPadding(1)
                : Conv2d.options(o.inChannels(), 64, 7).withPadding(3);
        conv1 = registerModule("conv1", new BasicConv2d(stem.withStride(o.firstStride()), gen));
        maxpool1 = o.smallInput() ? null : registerModule("maxpool1", pool(3));
        conv2 = registerModule("conv2", new BasicConv2d(64, 64, 1, 0, gen));
        conv3 = registerModule("conv3", new BasicConv2d(64, 192, 3, 1, gen));
        maxpool2 = registerModule("maxpool2", pool(3));
        inception3a = registerModule("inception3a", new Inception(192, 64, 96, 128, 16, 32, 32, gen));
        inception3b = registerModule("inception3b", new Inception(256, 128, 128, 192, 32, 96, 64, gen));
        maxpool3 = registerModule("maxpool3", pool(3));
        inception4a = registerModule("inception4a", new Inception(480, 192, 96, 208, 16, 48, 64, gen));
        inception4b = registerModule("inception4b", new Inception(512, 160, 112, 224, 24, 64, 64, gen));
        inception4c = registerModule("inception4c", new Inception(512, 128, 128, 256, 24, 64, 64, gen));
        inception4d = registerModule("inception4d", new Inception(512, 112, 144, 288, 32, 64, 64, gen));
        inception4e = registerModule("inception4e", new Inception(528, 256, 160, 320, 32, 128, 128, gen));
        maxpool4 = registerModule("maxpool4", pool(2));
        inception5a = registerModule("inception5a", new Inception(832, 256, 160, 320, 32, 128, 128, gen));
        inception5b = registerModule("inception5b", new Inception(832, 384, 192, 384, 48, 128, 128, gen));
        aux1 = o.auxLogits() ? registerModule("aux1", new InceptionAux(512, o.numClasses(), o.dropoutAux(), gen)) : null;
        aux2 = o.auxLogits() ? registerModule("aux2", new InceptionAux(528, o.numClasses(), o.dropoutAux(), gen)) : null;
        avgpool = registerModule("avgpool", AdaptiveAvgPool2d.global());
        dropout = registerModule("dropout", new Dropout(o.dropout(), gen.split()));
        fc = registerModule("fc", new Linear(1024, o.numClasses(), true, gen));
        apply(m -> {
            if (m instanceof Conv2d c) Init.normal(c.weight(), 0, 0.01, gen);
            if (m instanceof Linear l) Init.normal(l.weight(), 0, 0.01, gen);
        });
    }

    /** A {@code kernelSize} max pool with stride 2 in ceil mode. */
    private static MaxPool2d pool(int kernelSize) {
        return new MaxPool2d(MaxPool2dOptions.of(kernelSize).withStride(2).withCeilMode(true));
    }

    /** The main logits (what PyTorch returns in eval mode, or without auxiliary classifiers). */
    @Override
    public Tensor forward(Tensor x) {
        return run(x, false).logits();
    }

    /** The main logits and, in training mode with {@code auxLogits}, the two auxiliary ones. */
    public GoogLeNetOutputs forwardWithAux(Tensor x) {
        return run(x, true);
    }

    private GoogLeNetOutputs run(Tensor x, boolean withAux) {
        boolean aux = withAux && options.auxLogits() && isTraining();
        x = transformInput(x);
        x = conv1.call(x);
        if (maxpool1 != null) x = maxpool1.call(x);
        x = maxpool2.call(conv3.call(conv2.call(x)));
        x = maxpool3.call(inception3b.call(inception3a.call(x)));
        x = inception4a.call(x);
        Tensor a1 = aux ? aux1.call(x) : null;
        x = inception4d.call(inception4c.call(inception4b.call(x)));
        Tensor a2 = aux ? aux2.call(x) : null;
        x = maxpool4.call(inception4e.call(x));
        x = inception5b.call(inception5a.call(x));
        x = dropout.call(avgpool.call(x).flatten(1, -1));
        return new GoogLeNetOutputs(fc.call(x), a2, a1);
    }

    /** torchvision's {@code _transform_input}: from ImageNet normalisation to (x − 0.5)/0.5 per channel. */
    private Tensor transformInput(Tensor x) {
        if (!options.transformInput()) return x;
        double[] std = {0.229, 0.224, 0.225}, mean = {0.485, 0.456, 0.406};
        Tensor[] ch = new Tensor[3];
        for (int c = 0; c < 3; c++) {
            ch[c] = x.narrow(1, c, 1).mul((float) (std[c] / 0.5)).add((float) ((mean[c] - 0.5) / 0.5));
        }
        return Tensor.cat(List.of(ch), 1);
    }

    public GoogLeNetOptions options() {
        return options;
    }

    @Override
    public String describe() {
        return "GoogLeNet(" + options + ")";
    }
}

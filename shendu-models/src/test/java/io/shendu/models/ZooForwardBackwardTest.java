package io.shendu.models;

import io.shendu.nn.CrossEntropyLoss;
import io.shendu.nn.Module;
import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One training step's forward and backward through each architecture of the zoo, on a batch of two in training
 * mode: the logits have shape {@code [2, classes]}, the loss is finite, and every parameter receives a finite
 * gradient. The torchvision-sized ResNet and GoogLeNet run at reduced resolution (adaptive pooling makes that
 * possible). torchvision's AlexNet and VGG (61M and 133M parameters, nine tenths of them in the classifier) are
 * left to {@link ModelParamsFixtureTest}'s forward: their layers and classes are the {@code _small} variants'
 * below, and a backward through a 100M-parameter classifier would take most of the suite's time budget.
 */
class ZooForwardBackwardTest {

    /** Registry name, input channels and side, and the parameter count at 10 classes (documented in RESULTS.md). */
    @ParameterizedTest(name = "{0} on [2, {1}, {2}, {2}]")
    @CsvSource({
            "mlp, 1, 28, 235146", "lenet5, 1, 28, 61706", "bncnn, 1, 28, 421834",
            "alexnet_small, 1, 28, 4556490", "vgg11_bn_small, 1, 28, 9755274", "vgg16_small, 3, 32, 15245130",
            "googlenet_small, 1, 28, 5601322", "resnet18_small, 1, 28, 11172810", "resnet18_small, 3, 32, 11173962",
            "resnet18, 3, 32, 11181642", "resnet50, 3, 32, 23528522"})
    void trainingStep(String name, int channels, int size, long parameters) {
        int classes = 10;
        Module model = Models.create(name, new Models.Options(channels, size, classes, 1));
        assertEquals(parameters, model.parameterCount(), name + ": parameters");
        Tensor x = Tensor.randn(new Generator(2), 2, channels, size, size);
        Tensor logits = model.train().forward(x);
        assertArrayEquals(new int[] {2, classes}, logits.shape(), name + ": logits");
        backwardAndCheck(name, model, loss(logits));
    }

    /** torchvision's GoogLeNet with its auxiliary classifiers (at 32×32): the paper's loss, 0.3 for each aux head. */
    @Test
    void googlenetWithAuxiliaryClassifiers() {
        GoogLeNet model = new GoogLeNet(GoogLeNet.GoogLeNetOptions.imagenet(5, true), new Generator(1));
        GoogLeNet.GoogLeNetOutputs out = model.forwardWithAux(Tensor.randn(new Generator(2), 2, 3, 32, 32));
        for (Tensor t : List.of(out.logits(), out.auxLogits1(), out.auxLogits2())) assertArrayEquals(new int[] {2, 5}, t.shape());
        Tensor loss = loss(out.logits()).add(loss(out.auxLogits1()).add(loss(out.auxLogits2())).mul(0.3f));
        backwardAndCheck("googlenet+aux", model, loss);

        model.eval();
        GoogLeNet.GoogLeNetOutputs eval = model.forwardWithAux(Tensor.zeros(1, 3, 32, 32));
        assertTrue(eval.auxLogits1() == null && eval.auxLogits2() == null, "no auxiliary outputs in eval mode");
    }

    /** torchvision's {@code transform_input}: ImageNet-normalised RGB re-normalised as (x − 0.5)/0.5 per channel. */
    @Test
    void googlenetTransformInputRescalesEachChannel() {
        var options = GoogLeNet.GoogLeNetOptions.imagenet(3, false);
        GoogLeNet plain = new GoogLeNet(options, new Generator(4)), transforming = new GoogLeNet(options.withTransformInput(true), new Generator(4));
        plain.eval();
        transforming.eval();
        Tensor x = Tensor.randn(new Generator(5), 1, 3, 32, 32);
        float[] scale = {0.229f / 0.5f, 0.224f / 0.5f, 0.225f / 0.5f}, shift = {(0.485f - 0.5f) / 0.5f, (0.456f - 0.5f) / 0.5f, (0.406f - 0.5f) / 0.5f};
        List<Tensor> channels = new ArrayList<>();
        for (int c = 0; c < 3; c++) channels.add(x.narrow(1, c, 1).mul(scale[c]).add(shift[c]));
        float[] expected = plain.forward(Tensor.cat(channels, 1)).toFloatArray(), actual = transforming.forward(x).toFloatArray();
        for (int i = 0; i < expected.length; i++) assertEquals(expected[i], actual[i], 1e-4 * (1 + Math.abs(expected[i])));
    }

    private static Tensor loss(Tensor logits) {
        int[] targets = new int[logits.size(0)];
        for (int i = 0; i < targets.length; i++) targets[i] = i % logits.size(1);
        return new CrossEntropyLoss().forward(logits, Tensor.ofInts(targets, targets.length));
    }

    private static void backwardAndCheck(String name, Module model, Tensor loss) {
        assertTrue(Float.isFinite(loss.item()), name + ": loss " + loss.item());
        loss.backward();
        for (Map.Entry<String, Tensor> e : model.namedParameters().entrySet()) {
            Tensor g = e.getValue().grad();
            assertTrue(g != null, name + ": " + e.getKey() + " has no gradient");
            assertArrayEquals(e.getValue().shape(), g.shape(), name + ": " + e.getKey() + " gradient shape");
            for (float f : g.toFloatArray()) assertTrue(Float.isFinite(f), name + ": " + e.getKey() + " has a non-finite gradient");
        }
    }
}
